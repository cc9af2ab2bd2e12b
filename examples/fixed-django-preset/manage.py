#!/usr/bin/env python
"""Django's command-line utility (python manage.py runserver, check --deploy, ...).

It also marks this folder as a Django project for Vercel: a manage.py that sets
DJANGO_SETTINGS_MODULE is what its Django support looks for.
"""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portfolio.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
