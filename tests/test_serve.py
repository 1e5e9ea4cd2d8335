"""`make run`'s command for real: a fresh var/ directory, the web server and the worker, SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import closing
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(url: str, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=15) as response:
                return int(response.status)
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def _children(pid: int) -> list[int]:
    output = subprocess.run(  # noqa: S603
        ["/usr/bin/pgrep", "-P", str(pid)], capture_output=True, text=True, check=False
    ).stdout
    return [int(line) for line in output.split()]


def _serve(var_dir: Path, port: int, password: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "VAR_DIR": str(var_dir),
        "PORT": str(port),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "LOG_LEVEL": "WARNING",
        "WEB_WORKERS": "1",
        "HUEY_WORKERS": "1",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    if password:
        env["ADMIN_PASSWORD"] = password
    else:
        env.pop("ADMIN_PASSWORD", None)
    return subprocess.Popen(
        [sys.executable, "manage.py", "serve"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def _stop(process: subprocess.Popen[str]) -> str:
    children = _children(process.pid)
    assert len(children) == 2, "serve should run the web server and the worker"
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    for child in children:
        assert not Path(f"/proc/{child}").exists(), f"process {child} outlived serve"
    return output


@pytest.mark.skipif(not Path("/usr/bin/pgrep").exists(), reason="needs pgrep (procps)")
def test_serve_seeds_once_prints_the_login_and_stops_cleanly(tmp_path: Path) -> None:
    port = _free_port()
    first = _serve(tmp_path, port, password="")
    try:
        assert _wait_for(f"http://127.0.0.1:{port}/login/", 120) == 200
        assert _wait_for(f"http://127.0.0.1:{port}/static/core/app.css", 5) == 200
    finally:
        output = _stop(first)
    password = (tmp_path / "admin-password").read_text().strip()
    assert f"http://127.0.0.1:{port}/" in output
    assert f"Sign in as admin with password: {password}" in output
    assert "loading the demo data" in output
    assert "E-mail: files in " in output
    assert "SMS: console (nothing is sent" in output
    assert oct((tmp_path / "admin-password").stat().st_mode & 0o777) == "0o600"
    with closing(sqlite3.connect(tmp_path / "servicecrm.sqlite3")) as database:
        (reminders,) = database.execute("SELECT count(*) FROM engagement_reminder").fetchone()
    assert reminders > 0, "the demo should open with the sweep's reminders"

    # A second start reuses the database (no second demo) and the stored password still works.
    second = _serve(tmp_path, port, password="")
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz", 60)
    finally:
        output = _stop(second)
    assert "loading the demo data" not in output
    assert password not in output  # printed only when it was generated
    assert "the one generated at the first start" in output
