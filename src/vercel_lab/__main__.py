"""``python -m vercel_lab`` runs the command line, like the ``vercel-lab`` script."""

from __future__ import annotations

import sys

from vercel_lab.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
