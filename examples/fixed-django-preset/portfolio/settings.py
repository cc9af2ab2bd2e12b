"""Settings for fixed-django-preset: the shared production-grade settings, plus the line
Vercel's Django support looks for.

See pages/base_settings.py for what each setting does and why, and for the environment
variables (DJANGO_DEBUG, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS).
"""

from pages.base_settings import *  # noqa: F403

# Where the WSGI application lives. Vercel finds the project through manage.py, reads this
# setting and serves portfolio/wsgi.py's `application`: no api/ folder, no vercel.json.
WSGI_APPLICATION = "portfolio.wsgi.application"
