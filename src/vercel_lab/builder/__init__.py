"""What ``@vercel/python`` (with the vercel CLI's project detection) decides for a project, as a
pure plan: which preset, which functions from which files and variables, which routes. It reads
files and never runs anything.

Modules, in pipeline order: :mod:`~vercel_lab.builder.config` (vercel.json, pyproject.toml,
.python-version, the framework preset), :mod:`~vercel_lab.builder.presets` (a framework preset's
one app function), :mod:`~vercel_lab.builder.entrypoint` (one function's file and variable),
:mod:`~vercel_lab.builder.detect` (every function of a project, and which serves a path),
:mod:`~vercel_lab.builder.frameworks` (``@vercel/fs-detectors``' preset detection over
``frameworks.json``), :mod:`~vercel_lab.builder.routes` (the routes ``vercel build`` writes into
``config.json``, from :mod:`~vercel_lab.builder.userroutes` and
:mod:`~vercel_lab.builder.pathtoregexp`), :mod:`~vercel_lab.builder.routing` (the one router, for
those routes and real ``config.json``) and :mod:`~vercel_lab.builder.globs` (the minimatch
subset); ``_scan`` holds their shared helpers.
"""
