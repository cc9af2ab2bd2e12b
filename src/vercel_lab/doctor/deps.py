"""What a project declares it needs, and which imports those declarations satisfy.

Vercel installs only the declared packages (``requirements.txt``, ``pyproject.toml``,
``Pipfile``) and what they require in turn. An import is satisfied when it is the standard
library, the project's own code, or a module of a declared package or of one of its
requirements. Package -> module names come from a table of the well-known mismatches
(``yaml`` is PyYAML), the package's own name, and, for packages installed here, their
metadata (``importlib.metadata``): the only part that depends on this machine.
"""

from __future__ import annotations

import importlib.metadata
import re
import sys
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from vercel_lab.doctor.project import Project

#: Vercel's limit on the uncompressed bundle of a Python function
#: (https://vercel.com/docs/functions/limitations, "500 MB uncompressed for Python").
BUNDLE_LIMIT_MB: Final = 500

#: Import names that differ from the package that provides them.
MODULE_PACKAGES: Final[dict[str, tuple[str, ...]]] = {
    "yaml": ("pyyaml",),
    "PIL": ("pillow",),
    "cv2": (
        "opencv-python",
        "opencv-python-headless",
        "opencv-contrib-python",
        "opencv-contrib-python-headless",
    ),
    "sklearn": ("scikit-learn",),
    "skimage": ("scikit-image",),
    "bs4": ("beautifulsoup4",),
    "dotenv": ("python-dotenv",),
    "jwt": ("pyjwt",),
    "dateutil": ("python-dateutil",),
    "psycopg2": ("psycopg2", "psycopg2-binary"),
    "MySQLdb": ("mysqlclient",),
    "mysql": ("mysql-connector-python",),
    "attr": ("attrs",),
    "magic": ("python-magic",),
    "jose": ("python-jose",),
    "multipart": ("python-multipart",),
    "OpenSSL": ("pyopenssl",),
    "Crypto": ("pycryptodome", "pycrypto"),
    "Cryptodome": ("pycryptodomex",),
    "rest_framework": ("djangorestframework",),
    "rest_framework_simplejwt": ("djangorestframework-simplejwt",),
    "corsheaders": ("django-cors-headers",),
    "environ": ("django-environ",),
    "decouple": ("python-decouple",),
    "storages": ("django-storages",),
    "debug_toolbar": ("django-debug-toolbar",),
    "allauth": ("django-allauth",),
    "crispy_forms": ("django-crispy-forms",),
    "telegram": ("python-telegram-bot",),
    "docx": ("python-docx",),
    "pptx": ("python-pptx",),
    "fitz": ("pymupdf",),
    "serial": ("pyserial",),
    "git": ("gitpython",),
    "slugify": ("python-slugify",),
    "dns": ("dnspython",),
    "socketio": ("python-socketio",),
    "engineio": ("python-engineio",),
    "zmq": ("pyzmq",),
    "nacl": ("pynacl",),
    "github": ("pygithub",),
    "discord": ("discord.py",),
    "googleapiclient": ("google-api-python-client",),
    "bson": ("pymongo",),
    "gridfs": ("pymongo",),
    "faiss": ("faiss-cpu", "faiss-gpu"),
    "pkg_resources": ("setuptools",),
    "mpl_toolkits": ("matplotlib",),
    "argon2": ("argon2-cffi",),
    "newspaper": ("newspaper3k",),
    "pythonjsonlogger": ("python-json-logger",),
    "vertexai": ("google-cloud-aiplatform",),
    "barcode": ("python-barcode",),
    "Levenshtein": ("levenshtein", "python-levenshtein"),
    "websocket": ("websocket-client",),
    "tflite_runtime": ("tflite-runtime",),
}

#: What common packages require, for when they are not installed here to ask their metadata.
REQUIRES: Final[dict[str, tuple[str, ...]]] = {
    "fastapi": ("starlette", "pydantic", "typing-extensions", "anyio"),
    "starlette": ("anyio",),
    "anyio": ("idna", "sniffio"),
    "pydantic": ("pydantic-core", "typing-extensions", "annotated-types"),
    "flask": ("werkzeug", "jinja2", "itsdangerous", "click", "blinker"),
    "werkzeug": ("markupsafe",),
    "jinja2": ("markupsafe",),
    "django": ("asgiref", "sqlparse"),
    "requests": ("urllib3", "idna", "certifi", "charset-normalizer"),
    "httpx": ("httpcore", "anyio", "idna", "certifi"),
    "httpcore": ("h11", "certifi"),
    "uvicorn": ("h11", "click"),
    "boto3": ("botocore", "jmespath", "s3transfer"),
    "botocore": ("python-dateutil", "urllib3", "jmespath"),
    "pandas": ("numpy", "python-dateutil", "pytz", "tzdata"),
    "python-dateutil": ("six",),
    "scikit-learn": ("numpy", "scipy", "joblib", "threadpoolctl"),
    "scipy": ("numpy",),
    "matplotlib": ("numpy", "pillow", "pyparsing", "packaging", "python-dateutil"),
    "transformers": (
        "huggingface-hub",
        "numpy",
        "packaging",
        "pyyaml",
        "regex",
        "requests",
        "safetensors",
        "tokenizers",
        "tqdm",
        "filelock",
    ),
    "torch": ("filelock", "sympy", "networkx", "jinja2", "fsspec", "typing-extensions"),
    "sentence-transformers": ("transformers", "torch", "scikit-learn", "scipy", "pillow"),
    "openai": ("httpx", "pydantic", "anyio", "distro", "jiter", "tqdm", "sniffio"),
    "anthropic": ("httpx", "pydantic", "anyio", "distro", "jiter", "sniffio"),
    "djangorestframework": ("django",),
    "whitenoise": (),
    "flask-sqlalchemy": ("sqlalchemy", "flask"),
    "sqlalchemy": ("greenlet", "typing-extensions"),
    "mangum": ("typing-extensions",),
}

#: Approximate installed sizes (MB, Linux x86-64 wheels for CPython 3.12) of the packages that
#: can fill a function's bundle; "about" in every message that uses them.
SIZES_MB: Final[dict[str, int]] = {
    "torch": 800,
    "tensorflow": 1100,
    "tensorflow-cpu": 600,
    "jaxlib": 250,
    "jax": 10,
    "transformers": 80,
    "scipy": 110,
    "numpy": 40,
    "pandas": 70,
    "pyarrow": 150,
    "opencv-python": 90,
    "opencv-python-headless": 60,
    "opencv-contrib-python": 130,
    "scikit-learn": 45,
    "spacy": 50,
    "polars": 100,
    "sympy": 70,
    "matplotlib": 35,
    "onnxruntime": 30,
    "xgboost": 200,
    "llvmlite": 120,
    "numba": 20,
    "playwright": 120,
    "torchvision": 25,
    "torchaudio": 10,
    "tokenizers": 10,
    "faiss-cpu": 30,
    "pyspark": 320,
    "plotly": 50,
    "statsmodels": 40,
    "keras": 10,
    "tensorboard": 20,
    "grpcio": 10,
    "botocore": 25,
    "selenium": 20,
    "chromadb": 20,
    "lightgbm": 10,
    "catboost": 100,
}


def normalize(name: str) -> str:
    """PEP 503 name: ``Flask_SQLAlchemy`` -> ``flask-sqlalchemy``."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Declared:
    """The declared packages (normalized names) and the manifest they come from (the first of
    pyproject.toml, Pipfile, requirements.txt that declares any), or None."""

    names: frozenset[str]
    manifest: str | None


_REQ_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_EGG = re.compile(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)")


def _requirements(project: Project, rel: str, seen: set[str]) -> set[str]:
    if rel in seen or len(seen) > 20:
        return set()
    seen.add(rel)
    text = project.text(rel) or ""
    names: set[str] = set()
    folder = rel.rpartition("/")[0]
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].strip()
        if line.startswith(("-r ", "--requirement ", "-r", "--requirement=")):
            target = re.sub(r"^(-r|--requirement)=?\s*", "", line)
            names |= _requirements(project, f"{folder}/{target}" if folder else target, seen)
        elif (egg := _EGG.search(line)) is not None:
            names.add(normalize(egg.group(1)))
        elif line and not line.startswith(("-", "#")) and (m := _REQ_NAME.match(line)):
            names.add(normalize(m.group(1)))
    return names


def _toml(project: Project, rel: str) -> dict[str, object]:
    text = project.text(rel)
    try:
        return tomllib.loads(text) if text else {}
    except tomllib.TOMLDecodeError:
        return {}


def declared(project: Project) -> Declared:
    """Everything the project declares, in all of its manifests (Vercel reads one of them;
    the union avoids blaming an import on the wrong file)."""
    found: dict[str, set[str]] = {}
    pyproject = _toml(project, "pyproject.toml")
    table = pyproject.get("project")
    if isinstance(table, dict) and isinstance(table.get("dependencies"), list):
        deps = [d for d in table["dependencies"] if isinstance(d, str)]
        found["pyproject.toml"] = {normalize(m.group(1)) for d in deps if (m := _REQ_NAME.match(d))}
    tool = pyproject.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    if isinstance(poetry, dict) and isinstance(poetry.get("dependencies"), dict):
        found.setdefault("pyproject.toml", set()).update(
            normalize(k) for k in poetry["dependencies"] if k.lower() != "python"
        )
    packages = _toml(project, "Pipfile").get("packages")
    if isinstance(packages, dict):
        found["Pipfile"] = {normalize(k) for k in packages}
    if project.exists("requirements.txt"):
        found["requirements.txt"] = _requirements(project, "requirements.txt", set())
    names = frozenset().union(*found.values()) if found else frozenset()
    manifest = next(
        (m for m in ("pyproject.toml", "Pipfile", "requirements.txt") if m in found), None
    )
    return Declared(frozenset(names), manifest)


@lru_cache(maxsize=1)
def installed_modules() -> dict[str, tuple[str, ...]]:
    # top-level module -> normalized distributions installed here.
    try:
        mapping = importlib.metadata.packages_distributions()
    except Exception:  # broken metadata of some installed package must not stop the doctor
        return {}
    return {m: tuple(normalize(d) for d in dists) for m, dists in mapping.items()}


@lru_cache(maxsize=512)
def _installed_requires(name: str) -> tuple[str, ...]:
    try:
        requires = importlib.metadata.requires(name) or []
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return ()
    # Requirements that apply only with an extra are not installed by default.
    return tuple(
        normalize(m.group(1)) for r in requires if "extra ==" not in r and (m := _REQ_NAME.match(r))
    )


def closure(names: frozenset[str]) -> frozenset[str]:
    """``names`` and everything they require, transitively (table + installed metadata)."""
    result, todo = set(names), list(names)
    while todo:
        name = todo.pop()
        for dep in (*REQUIRES.get(name, ()), *_installed_requires(name)):
            if dep not in result:
                result.add(dep)
                todo.append(dep)
    return frozenset(result)


def packages_for(module: str) -> tuple[str, ...]:
    """The packages that may provide top-level ``module``, most likely first."""
    own = normalize(module)
    found = [*MODULE_PACKAGES.get(module, ()), *installed_modules().get(module, ()), own]
    return tuple(dict.fromkeys(found))


def is_stdlib(module: str) -> bool:
    return module in sys.stdlib_module_names or module == "__future__"


def satisfied(module: str, available: frozenset[str]) -> bool:
    """Whether top-level ``module`` is provided by one of the ``available`` packages."""
    if module == "google":  # a namespace shared by many google-* packages and protobuf
        return any(n.startswith("google") or n in {"protobuf", "grpcio"} for n in available)
    return any(p in available for p in packages_for(module))


def heavy(available: frozenset[str]) -> tuple[list[str], int]:
    """The heavy packages among ``available`` (largest first) and their total size in MB."""
    names = sorted((n for n in available if n in SIZES_MB), key=lambda n: (-SIZES_MB[n], n))
    return names, sum(SIZES_MB[n] for n in names)
