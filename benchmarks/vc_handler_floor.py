"""The runtime's own floor: ``vc_handler`` called in-process, no vercel-lab around it.

Run by bench.py in a child process whose working directory is the project; prints the median
milliseconds of N warm calls. ``vc_handler`` itself opens an HTTP connection to the runtime's
local server and the server starts a thread per connection (vc_init.py), so this is the cost of
the real runtime before vercel-lab adds its process boundary.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
import time

from vercel_lab.runtime.events import EventOptions, Request, to_event


def main() -> None:
    requests, host = int(sys.argv[1]), sys.argv[2]
    sys.path.insert(0, os.getcwd())
    os.environ.update(
        __VC_HANDLER_ENTRYPOINT="api/index.py",
        __VC_HANDLER_ENTRYPOINT_ABS=os.path.abspath("api/index.py"),
        __VC_HANDLER_MODULE_NAME="api.index",
        __VC_HANDLER_VARIABLE_NAME="app",
    )
    from vercel_runtime.vc_init import vc_handler

    event = to_event(Request.get("/"), EventOptions(host=host))
    samples = []
    # The runtime writes an access log line per request to stdout: keep it out of the result.
    with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
        assert vc_handler(event, None)["statusCode"] == 200
        for _ in range(requests):
            started = time.perf_counter()
            vc_handler(event, None)
            samples.append((time.perf_counter() - started) * 1000)
    print(statistics.median(samples))


if __name__ == "__main__":
    main()
