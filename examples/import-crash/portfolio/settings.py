"""Settings for import-crash: one app too many.

"portfolio_blog" is listed but was never written (or never committed). Django imports every
installed app during django.setup(), which get_wsgi_application() runs when Vercel imports
api/index.py: the import fails with ModuleNotFoundError before any request is served.
The fix is to delete the line, or to commit the app.
"""

from pages.base_settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "portfolio_blog"]  # noqa: F405
