"""The build plan (vercel_lab.builder.plan): the configuration read once, then preset, functions
and routes, each a function of the previous step's value, in one frozen BuildPlan."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tests.helpers import MakeProject
from vercel_lab.builder.config import ProjectConfig
from vercel_lab.builder.entrypoint import Entrypoint
from vercel_lab.builder.plan import (
    AUTO,
    BuildPlan,
    Settings,
    build_plan,
    choose_preset,
    plan_functions,
    plan_routes,
)
from vercel_lab.runtime.function import Function

FLASK = {
    "requirements.txt": "flask\n",
    "app.py": "from flask import Flask\napp = Flask(__name__)\n",
}


def test_a_detected_preset_and_its_one_app_function(make_project: MakeProject) -> None:
    plan = build_plan(make_project(FLASK))
    assert (plan.preset, plan.preset_source) == ("flask", "detected")
    assert plan.entrypoints == (Entrypoint("app.py", "app", "app"),)
    # @vercel/python's routes for a preset: the filesystem, then every path to the app, which
    # sees the path after rewrites (request.path); the error phase of the zero-config routes.
    assert list(plan.routes) == [
        {"handle": "error"},
        {"status": 404, "src": "^(?!/api).*$", "dest": "/404.html"},
        {"handle": "filesystem"},
        {
            "src": "/(.*)",
            "dest": "/flask",
            "transforms": [{"type": "request.path", "op": "set", "args": "/$1"}],
        },
    ]
    assert dict(plan.functions) == {"flask": Entrypoint("app.py", "app", "app")}
    assert plan.build_error is None
    assert (plan.dependency_manifest, plan.python_version, dict(plan.bundle_files)) == (
        "requirements.txt",
        "3.12",
        {"app.py": ("app.py", "requirements.txt")},
    )


def test_vercel_json_framework_is_configured_and_null_is_other(make_project: MakeProject) -> None:
    files = {**FLASK, "vercel.json": '{"framework": null}', "api/index.py": "app = 1\n"}
    plan = build_plan(make_project(files))
    assert (plan.preset, plan.preset_source) == (None, "configured")
    assert plan.filesystem.functions == {"api/index"}
    assert build_plan(make_project(files, "again"), preset="django").preset_source == "override"
    assert build_plan(make_project(files, "auto"), preset=AUTO).preset_source == "configured"


def test_an_override_wins_over_configuration() -> None:
    settings = Settings(
        Path("/nowhere"), ProjectConfig({}, (), (), (), {"framework": "flask"}), None, "django"
    )
    assert choose_preset(settings) == ("flask", "configured")
    assert choose_preset(settings, "fastapi", overridden=True) == ("fastapi", "override")
    no_key = dataclasses.replace(settings, config=ProjectConfig({}, (), (), (), {}))
    assert choose_preset(no_key) == ("django", "detected")


def test_a_refused_project_keeps_the_builders_error_in_the_plan(make_project: MakeProject) -> None:
    plan = build_plan(make_project({"requirements.txt": "flask\n", "main.txt": ""}))
    assert plan.entrypoints == ()
    assert plan.build_error is not None
    assert plan.build_error.code == "FLASK_ENTRYPOINT_NOT_FOUND"


def test_each_step_is_a_function_of_the_previous_value(make_project: MakeProject) -> None:
    plan = build_plan(make_project({"api/a.py": "app = 1\n", "api/b.py": "class handler: ...\n"}))
    again = plan_functions(plan.settings, plan.preset)
    assert again == plan.entrypoints
    output = plan_routes(plan.settings, plan.preset, again)
    assert (output.routes, output.filesystem) == (plan.routes, plan.filesystem)
    assert plan.filesystem.functions == {"api/a", "api/b"}
    assert {"handle": "miss"} in plan.routes  # /api/a.py reaches api/a through the miss phase


def test_the_plan_is_frozen_and_function_consumes_it(make_project: MakeProject) -> None:
    root = make_project(FLASK)
    plan = build_plan(root)
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.preset = "django"  # type: ignore[misc]
    function = Function(root)
    assert isinstance(function.plan, BuildPlan)
    assert function.plan.entrypoints == plan.entrypoints
    assert function.entrypoints == list(plan.entrypoints)
    assert function.config == plan.config
