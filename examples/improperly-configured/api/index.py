"""The Vercel Function: every request goes to Django through WSGI.

This file is correct. The failure comes from portfolio/settings.py, and it happens on the
last line below, while Vercel imports this file: get_wsgi_application() runs
django.setup(), which loads the settings' apps and logging.
"""

import os
import sys
from pathlib import Path

PROJECT_ROOT = str(Path(__file__).resolve().parent.parent)
if PROJECT_ROOT not in sys.path:
    sys.path.insert(0, PROJECT_ROOT)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portfolio.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

app = get_wsgi_application()
