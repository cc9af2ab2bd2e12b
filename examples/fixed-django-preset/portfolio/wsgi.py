"""The WSGI application that Vercel serves (named by WSGI_APPLICATION in settings).

Vercel's Python runtime imports this module once per cold start and calls `application`
as a WSGI app, application(environ, start_response), for every request. Nothing to adapt:
Django already speaks WSGI.
"""

import os

from django.core.wsgi import get_wsgi_application

# setdefault: a DJANGO_SETTINGS_MODULE set in the environment still wins.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portfolio.settings")

# Built at import, once per cold start; warm invocations reuse it.
application = get_wsgi_application()
