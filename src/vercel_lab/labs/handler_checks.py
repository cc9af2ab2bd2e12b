"""The checks of labs 01-03: run the learner's entrypoint under Vercel's real runtime and say why
it fails.

Each ``check_*`` takes a lab folder, runs it with :class:`~vercel_lab.runtime.function.Function`
(builder detection, cold start, requests), and returns a :class:`~vercel_lab.labs.feedback.Result`.
The likely wrong answers are told apart by what the runtime really did (the phase and the log) and,
where the log alone cannot say why, by the shape of the learner's code (:mod:`.shapes`).
"""

from __future__ import annotations

import re
from pathlib import Path

from vercel_lab import Function, Outcome, Request
from vercel_lab.labs import feedback as fb
from vercel_lab.labs.feedback import Result, key_line
from vercel_lab.labs.report import PORTFOLIO, Reporter, get, guarded, no_function, read_text
from vercel_lab.labs.shapes import handler_shape

# -- lab 01: the fix ----------------------------------------------------------------------------

TITLE_NODE_STYLE = "Still the Node-style handler(req, res)"
TITLE_GUIDE_FIX = "The guide's handler(request) is not an interface Vercel knows"
TITLE_LAMBDA = "A Lambda-style handler(event, context) that returns a dict"
TITLE_NAMED_HANDLER = "The WSGI app is there, but named handler"
TITLE_NO_APP = "The builder finds no app in api/index.py"
TITLE_FIX_PASSED = "The portfolio answers on Vercel's runtime"
TITLE_NOT_PORTFOLIO = "The function answers, but not with the portfolio"
THE_FIX = "The fix: expose Django's WSGI application, app = get_wsgi_application()."


@guarded("01", "fix")
def check_fix(folder: str | Path) -> Result:
    """Lab 01: api/index.py must expose Django's WSGI application so that / and /about/ answer
    200 with the portfolio."""
    root = Path(folder)
    with Function(root) as function:
        outcomes = [function.invoke(get("/"))]
        if not no_function(outcomes[0]):
            outcomes.append(function.invoke(get("/about/")))
    if no_function(outcomes[0]):
        return _fix_no_function(root, outcomes[0])
    say = Reporter("01", "fix", outcomes)
    for outcome in outcomes:
        if outcome.error_code:
            return say.crashed(outcome, fb.EXPOSE_APP)
    if all(o.status == 200 and PORTFOLIO in o.text for o in outcomes):
        return say.passed(
            TITLE_FIX_PASSED,
            f"The builder found {outcomes[0].entrypoint}, the runtime served it as WSGI, and / "
            "and /about/ answered 200 with the portfolio. Chapter 2 explains why the old "
            "handler failed the way it did.",
            fb.RUNTIME_CALLS,
        )
    failing = next((o for o in outcomes if o.status != 200), None)
    why = f"Expected 200 and {PORTFOLIO} on / and /about/. Serve Django itself. {THE_FIX}"
    return say.not_yet(TITLE_NOT_PORTFOLIO, why, fb.EXPOSE_APP, failing)


def _fix_no_function(root: Path, build: Outcome) -> Result:
    say = Reporter("01", "fix", [build])
    if build.phase == "build":
        built = "The build fails: the builder finds no top-level `app` in api/index.py."
    else:  # with zero-config, a file without an app is simply not a function
        built = (
            "The builder finds no top-level `app` in api/index.py, so it makes no function "
            "of it: every path answers 404 NOT_FOUND."
        )
    shape = handler_shape(read_text(root, "api/index.py") or "")
    if shape.kind is None:
        why = f"{built} It looks for `app` or `application` (or a class named handler). {THE_FIX}"
        return say.not_yet(TITLE_NO_APP, why, fb.BUILDER_NAMES, build, phase="build")
    # The builder stops every handler function; push it through to the runtime to show what the
    # runtime would have made of it, and tell the answers apart by that.
    with Function(root, entrypoint="api/index.py:handler") as forced_function:
        forced = forced_function.invoke(get("/"))
    note = f"Forced past the builder, the runtime logs: {key_line(forced.log) or '(nothing)'}"
    if "object has no attribute" in forced.log and "'dict'" in forced.log:
        title, hint = TITLE_NODE_STYLE, fb.RUNTIME_CALLS
        why = (
            "And were it served, a two-argument function passes for WSGI: the runtime calls it "
            "as handler(environ, start_response), where `req` is the environ dict, which has "
            "no .method, and there is no `res` to answer through."
        )
    elif "Could not determine the application interface" in forced.log:
        title, hint = TITLE_GUIDE_FIX, fb.GUIDE_FIX
        why = (
            "And were it served: the runtime serves WSGI or ASGI apps, and a one-argument "
            "handler(request) is neither, so the function would die at every cold start."
        )
    elif shape.returns_dict or "bytes-like object is required" in forced.log:
        title, hint = TITLE_LAMBDA, fb.OTHER_PLATFORMS
        why = (
            "That is AWS Lambda's interface. Were it served, Vercel's runtime would call it as "
            "WSGI, handler(environ, start_response), and could not send a dict as a body."
        )
    elif shape.kind == "assign" and forced.ok:
        title, hint = TITLE_NAMED_HANDLER, fb.BUILDER_NAMES
        why = (
            "The runtime would serve it, but the builder only accepts `handler` as a "
            "BaseHTTPRequestHandler class, so it never gets that far. Rename it `app`."
        )
        note = "Forced past the builder, it answers: the name is the only problem."
    else:
        title, hint = TITLE_NO_APP, fb.BUILDER_NAMES
        why = "The builder accepts `app`, `application` or a `handler` class."
    why = f"{built} {why}\n\n{note}\n\n{THE_FIX}"
    return say.not_yet(title, why, hint, build, phase="build")


# -- lab 02: root cause -------------------------------------------------------------------------

TITLE_ATTRIBUTES = "environ is a dict: the request is in its keys, not in attributes"
TITLE_STR_BODY = "The body holds str: WSGI bodies are bytes"
TITLE_NO_START = "start_response is never called"
TITLE_INT_STATUS = "The status must be a string such as '200 OK'"
TITLE_ARITY = "app must take two arguments: app(environ, start_response)"
TITLE_WRONG_TEXT = "The app answers, but not with METHOD PATH"
TITLE_WSGI_PASSED = "A WSGI app written by hand, served by Vercel's runtime"

WSGI_REQUESTS = (
    Request("GET", "/projects/"),
    Request("POST", "/contact", (("content-type", "text/plain"),), b"hello"),
)

# Log evidence -> (title, what to change, section): the runtime's own words for each mistake.
_WSGI_MISTAKES = (
    (
        ("object has no attribute", "'dict'"),
        TITLE_ATTRIBUTES,
        "The runtime passes environ, a plain dict (PEP 3333). Read environ['REQUEST_METHOD'] "
        "and environ['PATH_INFO'] instead of .method and .path.",
        fb.RUNTIME_CALLS,
    ),
    (
        ("[ERROR] BadStatusLine",),
        TITLE_NO_START,
        "Without start_response(status, headers) no status line is sent, so your bytes arrive "
        "where the status line should be. Call it before returning the body.",
        fb.WSGI_CONTRACT,
    ),
    (
        ("bytes-like object is required",),
        TITLE_STR_BODY,
        "start_response already sent the status, so the client got 200 with an empty body; "
        "writing the body then failed. Return [text.encode('utf-8')].",
        fb.WSGI_CONTRACT,
    ),
    (
        ("'int' object has no attribute 'split'",),
        TITLE_INT_STATUS,
        "start_response takes the status line as a string: "
        "start_response('200 OK', [('Content-Type', 'text/plain')]).",
        fb.WSGI_CONTRACT,
    ),
)


@guarded("02", "wsgi_app")
def check_wsgi_app(folder: str | Path) -> Result:
    """Lab 02: api/index.py's ``app(environ, start_response)`` must answer each request with
    ``METHOD PATH`` (``GET /projects/``) as bytes. Run in lambda mode: there a body sent
    without start_response fails in ``vc_handler`` with ``[ERROR] BadStatusLine``, the line that
    names the mistake; in fluid mode the platform gets no status line and the log says
    nothing."""
    with Function(Path(folder), mode="lambda") as function:
        outcomes = [function.invoke(r) for r in WSGI_REQUESTS]
    say = Reporter("02", "wsgi_app", outcomes)
    for outcome in outcomes:
        if arity := _wrong_arity(Path(folder), outcome):
            return say.not_yet(TITLE_ARITY, arity, fb.WSGI_CONTRACT, outcome)
        if outcome.phase == "build":
            why = "Name the function `app`: the builder looks for a top-level app or application."
            return say.not_yet(TITLE_NO_APP, why, fb.BUILDER_NAMES, outcome)
        for needles, title, why, hint in _WSGI_MISTAKES:
            if all(needle in outcome.log for needle in needles):
                return say.not_yet(title, why, hint, outcome)
        if outcome.error_code:
            return say.crashed(outcome, fb.WSGI_CONTRACT)
        expected = f"{outcome.request.method} {outcome.request.path}"
        if outcome.status != 200 or outcome.text.strip() != expected:
            why = (
                f"Expected status 200 and the body {expected!r}, got {outcome.status} and "
                f"{outcome.text.strip()[:80]!r}."
            )
            return say.not_yet(TITLE_WRONG_TEXT, why, fb.WSGI_CONTRACT)
    return say.passed(
        TITLE_WSGI_PASSED,
        "The runtime called app(environ, start_response) for each request, exactly as it "
        "called the seed's handler(req, res): a two-argument callable is a WSGI app to it.",
        fb.RUNTIME_CALLS,
    )


def _wrong_arity(root: Path, outcome: Outcome) -> str | None:
    """What to change when ``app`` is a function the runtime refused for its number of
    parameters (its "Could not determine the application interface" line), else None."""
    if "Could not determine the application interface" not in outcome.log:
        return None
    shape = handler_shape(read_text(root, "api/index.py") or "", "app")
    if shape.kind != "def" or shape.parameters == 2:
        return None
    count = f"{shape.parameters} parameter{'' if shape.parameters == 1 else 's'}"
    return (
        f"Your app takes {count}. The runtime tells a WSGI app by its signature: a callable "
        "of exactly two positional parameters, app(environ, start_response) (an ASGI app is "
        "an async function of three). With any other count it is neither, so the runtime "
        "refuses the file at every cold start, before any request reaches it.\n\n"
        "Take start_response as the second parameter and call it once, "
        "start_response('200 OK', [('Content-Type', 'text/plain; charset=utf-8')]), before "
        "returning the body as a list of bytes."
    )


# -- lab 03: the mental model -------------------------------------------------------------------

TITLE_LOCAL = "The count starts again on every request"
TITLE_NO_GLOBAL = "count += 1 inside the function without `global count`"
TITLE_FILE_COUNTER = "The count is written into the project folder"
TITLE_OUTLIVES = "The count survived a cold start"
TITLE_NO_NUMBER = "The answer holds no number"
TITLE_UNEXPECTED = "Not the count expected"
TITLE_COUNTER_PASSED = "State survives warm invocations and ends with the instance"


def _number(outcome: Outcome) -> int | None:
    found = re.search(r"\d+", outcome.text)
    return int(found.group()) if found and not outcome.error_code else None


@guarded("03", "counter")
def check_counter(folder: str | Path) -> Result:
    """Lab 03: three requests to one instance answer 1, 2, 3; after a cold start, 1 again."""
    with Function(Path(folder)) as function:
        outcomes = [function.invoke("/") for _ in range(3)]
        function.reset()
        outcomes.append(function.invoke("/"))
    say = Reporter("03", "counter", outcomes)
    for outcome in outcomes:
        if "UnboundLocalError" in outcome.log:
            why = (
                "Assigning to `count` inside app makes it a local variable, read before it is "
                "set. Add `global count` as the function's first line."
            )
            return say.not_yet(TITLE_NO_GLOBAL, why, fb.INSTANCE_LIFE, outcome)
        if "Read-only file system" in outcome.log:
            why = (
                "A deployed function cannot write its own files (only /tmp is writable). Keep "
                "the count in memory: a module-level variable."
            )
            return say.not_yet(TITLE_FILE_COUNTER, why, fb.READ_ONLY, outcome)
        if outcome.error_code:
            return say.crashed(outcome, fb.INSTANCE_LIFE)
    found = [_number(o) for o in outcomes]
    numbers = [n for n in found if n is not None]
    if len(numbers) < len(found):
        why = "Answer with the number of requests this instance has served, e.g. '3'."
        return say.not_yet(TITLE_NO_NUMBER, why, fb.INSTANCE_LIFE)
    if numbers[:3] == [1, 1, 1]:
        why = (
            "`count = 0` inside app runs on every request. Module-level code runs once per "
            "cold start: set count = 0 at the top of the file and add to it in app."
        )
        return say.not_yet(TITLE_LOCAL, why, fb.INSTANCE_LIFE)
    if numbers == [1, 2, 3, 1]:
        return say.passed(
            TITLE_COUNTER_PASSED,
            "Warm invocations shared the module's variable (1, 2, 3); the cold start imported "
            'the file again (1). "Stateless" is wrong as stated: state lives as long as the '
            "instance, and no longer.",
            fb.INSTANCE_LIFE,
        )
    first = numbers[0]
    if numbers[1:] == [first + 1, first + 2, first + 3] or first != 1:
        why = (
            "The count continued after the cold start, so it lives outside the instance's "
            "memory (a file in /tmp?). vercel-lab's instances share this machine's /tmp; on "
            "Vercel each instance has its own, so such a count restarts unpredictably. Keep it "
            "in a module-level variable."
        )
        return say.not_yet(TITLE_OUTLIVES, why, fb.INSTANCE_LIFE)
    why = f"Expected 1, 2, 3, then 1 after the cold start; got {numbers}."
    return say.not_yet(TITLE_UNEXPECTED, why, fb.INSTANCE_LIFE)
