"""The ``vercel-lab`` command line: :func:`~vercel_lab.cli.main.main` wires one module per
subcommand (:mod:`~vercel_lab.cli.invoke`, :mod:`~vercel_lab.cli.explain`,
:mod:`~vercel_lab.cli.serve`, :mod:`~vercel_lab.cli.doctor`), each importing what it runs only
when it runs; :mod:`~vercel_lab.cli.common` holds the exit statuses
(:class:`~vercel_lab.cli.common.ExitStatus`), the usage error and the shared options.
"""
