"""`manage.py serve`: what `make run` starts.

Migrates, loads the demo when there are no customers, makes sure the admin can sign in, collects
static files, then runs the web server (gunicorn) and the task consumer (huey) side by side in the
foreground. Ctrl-C or SIGTERM stops both; when one of them dies the other is stopped too.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from io import StringIO
from types import FrameType
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

from crm.core.services import admin_login_ensure

STOP_GRACE_S = 10
# The migration that gave customers the list's summary columns (zero until computed): an
# upgraded database gets them computed once, right after it (docs/adr/0006).
LIST_SUMMARIES_MIGRATION = ("customers", "0003_list_summaries")


def migration_applied(app_and_name: tuple[str, str]) -> bool:
    """Whether this database has already applied the migration."""
    recorder = MigrationRecorder(connections["default"])
    return recorder.has_table() and app_and_name in recorder.applied_migrations()


class Command(BaseCommand):
    help = "Migrate, seed the demo when empty, then run the web server and the task consumer."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=settings.HOST)
        parser.add_argument("--port", type=int, default=settings.PORT)
        parser.add_argument("--no-demo", action="store_true", help="Never load demo data.")
        parser.add_argument("--no-worker", action="store_true", help="Web server only.")

    def handle(self, *args: Any, **options: Any) -> None:
        self._prepare(demo=not options["no_demo"])
        login = admin_login_ensure(
            username=settings.ADMIN_USERNAME,
            password=settings.ADMIN_PASSWORD,
            password_file=settings.VAR_DIR / "admin-password",
        )
        commands = {"web": _web_command(options["host"], options["port"])}
        if not options["no_worker"]:
            commands["worker"] = [sys.executable, str(settings.BASE_DIR / "manage.py"), "run_huey"]
        connections.close_all()  # the children open their own; don't hold SQLite's file open
        # Our own fixed commands, no user input.
        processes = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}  # noqa: S603
        self.stdout.write(
            self.style.SUCCESS(
                f"\nServiceCRM is running at http://{options['host']}:{options['port']}/"
            )
        )
        self.stdout.write(f"Sign in as {login.username} with password: {login.password_shown}")
        for line in startup_report():
            self.stdout.write(line)
        self.stdout.write("Press Ctrl-C to stop the web server and the worker.\n")
        sys.exit(_supervise(processes))

    def _prepare(self, *, demo: bool) -> None:
        summaries_were_there = migration_applied(LIST_SUMMARIES_MIGRATION)
        call_command("migrate", interactive=False, verbosity=0)
        customer_model = apps.get_model("customers", "Customer")
        if not summaries_were_there and customer_model.objects.exists():
            self.stdout.write("Upgrade: computing the customer list's summaries once...")
            call_command("customer_summaries_rebuild", stdout=self.stdout)
        if demo and not customer_model.objects.exists():
            self.stdout.write("Empty database: loading the demo data (a minute or so)...")
            call_command("seed_demo", stdout=self.stdout)
            # The nightly sweep once now, so the demo opens with reminders and greeting drafts.
            call_command("engagement_sweep", stdout=StringIO())
        call_command("collectstatic", interactive=False, verbosity=0)


def startup_report() -> list[str]:
    """Lines the apps want said at start (an app config's `startup_report()`, e.g. messaging's
    channels), asked through the app registry: core imports no domain app."""
    lines: list[str] = []
    for config in apps.get_app_configs():
        report = getattr(config, "startup_report", None)
        if callable(report):
            lines.extend(report())
    return lines


def _web_command(host: str, port: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "config.wsgi",
        "--bind", f"{host}:{port}",
        "--workers", str(settings.WEB_WORKERS),
        "--threads", str(settings.WEB_THREADS),
        "--worker-class", "gthread",
        "--graceful-timeout", str(STOP_GRACE_S),
        "--access-logfile", "-",
        "--no-control-socket",
    ]  # fmt: skip


def _supervise(processes: dict[str, subprocess.Popen[bytes]]) -> int:
    """Wait until a signal arrives or a process ends; then stop them all. Returns an exit code."""
    stopping = False

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    exited: int | None = None
    while not stopping and exited is None:
        time.sleep(0.2)
        for name, process in processes.items():
            if process.poll() is not None:
                print(f"{name} stopped (exit code {process.returncode}); stopping the rest.")
                exited = process.returncode or 1
    _stop_all(processes)
    return 0 if exited is None else exited


def _stop_all(processes: dict[str, subprocess.Popen[bytes]]) -> None:
    for process in processes.values():
        if process.poll() is None:
            process.terminate()
    # The worker may take up to HUEY_SHUTDOWN_TIMEOUT_S to finish its running tasks.
    deadline = time.monotonic() + max(STOP_GRACE_S, settings.HUEY_SHUTDOWN_TIMEOUT_S) + 5
    for process in processes.values():
        try:
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
