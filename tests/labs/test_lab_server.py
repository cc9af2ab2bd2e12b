"""`nox -s lab` starts JupyterLab on labs/: the same command, on a free loopback port with a token,
answers with the lab tree and the notebooks, and stops leaving no process behind."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LABS = ROOT / "labs"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str, token: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_jupyter_lab_serves_the_labs_on_localhost_and_stops_cleanly(tmp_path: Path) -> None:
    pytest.importorskip(
        "jupyterlab", reason="jupyterlab is not installed (the `lab` dependency group)"
    )
    port, token = _free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        # Runtime files, settings and workspaces go to tmp_path, not the user's ~/.jupyter.
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
        "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "settings"),
    }
    # What `nox -s lab` runs, plus a fixed port and token.
    argv = [
        sys.executable, "-m", "jupyterlab",
        "--no-browser", "--ip", "127.0.0.1",
        f"--ServerApp.root_dir={LABS}",
        f"--port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
    ]  # fmt: skip
    if os.geteuid() == 0:  # containers and CI often run as root; JupyterLab refuses it unasked
        argv.append("--allow-root")
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        argv, cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline, status = time.monotonic() + 90, 0
        while time.monotonic() < deadline and server.poll() is None:
            try:
                status, body = _get(f"{base}/api/contents", token)
            except OSError:  # not listening yet
                time.sleep(0.5)
                continue
            if status == 200:
                break
            time.sleep(0.5)
        assert status == 200, (tmp_path / "server.log").read_text(errors="replace")[-3000:]
        listing = {item["name"] for item in json.loads(body)["content"]}
        assert {"01-the-fix.ipynb", "05-alternatives.ipynb"} <= listing

        status, page = _get(f"{base}/lab/tree/01-the-fix.ipynb", token)
        assert status == 200 and b"JupyterLab" in page
        assert _get(f"{base}/api/contents", "wrong-token")[0] == 403
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
        log.close()
    deadline = time.monotonic() + 10
    while _group_alive(server.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _group_alive(server.pid), "a process of the server's group is still running"
