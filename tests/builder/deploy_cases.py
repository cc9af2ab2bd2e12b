"""Tiny projects rebuilt from the shared cases (tests/fixtures/cases; only the files that decide
the outcome), for the builder's pure steps: manifest, Python version, bundle files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

Files = dict[str, str]
MakeProject = Callable[[Files], Path]

UV_LOCK_EMPTY = """version = 1
revision = 5
requires-python = ">=3.12"

[[package]]
name = "quotes-api"
version = "0.1.0"
source = { virtual = "." }
"""

UV_LOCK_FASTAPI = """version = 1
revision = 5
requires-python = ">=3.11"

[[package]]
name = "orbit-backend"
version = "1.0.0"
source = { virtual = "." }
dependencies = [
    { name = "fastapi" },
]

[package.metadata]
requires-dist = [{ name = "fastapi", specifier = ">=0.115.0" }]
"""

CASES: dict[str, Files] = {
    "uvlock-hides-requirements": {
        ".python-version": "3.12\n",
        "api/index.py": "from flask import Flask\napp = Flask(__name__)\n",
        "pyproject.toml": (
            '[project]\nname = "quotes-api"\nversion = "0.1.0"\n'
            'requires-python = ">=3.12"\ndependencies = []\n'
        ),
        "requirements.txt": "# Vercel installs these\nflask>=3.0\n",
        "uv.lock": UV_LOCK_EMPTY,
    },
    "poetry-only-pyproject": {
        "main.py": "from fastapi import FastAPI\napp = FastAPI()\n",
        "pyproject.toml": (
            '[tool.poetry]\nname = "notify-relay"\nversion = "1.2.0"\n\n'
            '[tool.poetry.dependencies]\npython = "^3.11"\nfastapi = "^0.110"\n\n'
            '[tool.poetry.group.dev.dependencies]\nblack = "^24.0"\n\n'
            '[build-system]\nrequires = ["poetry-core"]\n'
            'build-backend = "poetry.core.masonry.api"\n'
        ),
        "requirements.txt": "fastapi>=0.110\nrequests>=2.31\n",
        "vercel.json": '{"builds": [{"src": "main.py", "use": "@vercel/python"}]}\n',
    },
    "driver-only-in-extra": {
        "app.py": "from fastapi import FastAPI\napp = FastAPI()\n",
        "pyproject.toml": (
            '[project]\nname = "lift-sync"\nversion = "0.4.0"\nrequires-python = ">=3.12"\n'
            'dependencies = [\n    "fastapi>=0.110",\n]\n\n'
            '[project.optional-dependencies]\ncloud = [\n    "psycopg2-binary>=2.9",\n]\n'
        ),
    },
    "python-version-311-with-uvlock": {
        ".python-version": "3.11\n",
        "main.py": "from fastapi import FastAPI\napp = FastAPI()\n",
        "pyproject.toml": (
            '[project]\nname = "orbit-backend"\nversion = "1.0.0"\nrequires-python = ">=3.11"\n'
            'dependencies = [\n    "fastapi>=0.115.0",\n]\n\n[tool.vercel]\n'
            'entrypoint = "main:app"\n'
        ),
        "uv.lock": UV_LOCK_FASTAPI,
    },
    "stale-root-manage-py": {
        "requirements.txt": "",
        "manage.py": (
            "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'legacy.settings')\n"
        ),
        "legacy/settings.py": "WSGI_APPLICATION = 'legacy.wsgi.application'\n",
        "backend/requirements.txt": "Django>=5.0\ngunicorn>=22\n",
        "backend/manage.py": "import os\n",
        "backend/shop/settings.py": "WSGI_APPLICATION = 'shop.wsgi.application'\n",
        "frontend/index.html": "<!doctype html>\n",
    },
}


def write_files(root: Path, files: Files) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root
