"""Running a function the way Vercel runs it: :class:`~vercel_lab.runtime.function.Function`
(build, cold start, invoke), the pure edge that maps a child's reply to what the client receives
(:mod:`~vercel_lab.runtime.edge`), the event and response shapes
(:mod:`~vercel_lab.runtime.events`), the :class:`~vercel_lab.runtime.outcome.Outcome`, the child
process (:mod:`~vercel_lab.runtime.process`, ``_child``), the read-only filesystem
(:mod:`~vercel_lab.runtime.readonly`), which interpreter runs it
(:mod:`~vercel_lab.runtime.interpreters`), ``.env`` files (:mod:`~vercel_lab.runtime.envfile`)
and the local server of ``vercel-lab serve`` (:mod:`~vercel_lab.runtime.serve`).

Nothing is imported here: ``_child.py`` runs as a script under interpreters that do not have
vercel-lab installed, and the command line imports only what a subcommand needs.
"""
