"""Settings for improperly-configured: a secret read from an environment variable that the
Vercel project does not set.

Locally the variable is in the developer's shell or .env file, so everything works. On Vercel
only the project's Environment Variables exist, and DJANGO_SECRET_KEY was never added there:
reading it raises ImproperlyConfigured while Vercel imports api/index.py, so the function never
starts. The fix is to add the variable to the project's Environment Variables.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from pages.base_settings import *  # noqa: F403


def env(name):
    """The value of an environment variable the site cannot run without (the usual helper)."""
    try:
        return os.environ[name]
    except KeyError:
        raise ImproperlyConfigured(f"Set the {name} environment variable")


SECRET_KEY = env("DJANGO_SECRET_KEY")
