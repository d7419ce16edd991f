#!/usr/bin/env python3
"""Set up and run Factsite with nothing but Python 3.10+.

    python3 run.py serve   install, migrate, load the seeds, create a sign-in, serve on localhost
                           with a background worker for the jobs (imports) beside it
    python3 run.py test    install the test tools and run every test (extra arguments go to pytest)

Everything is installed into .venv inside the project; the SQLite database and the local secret
key live in var/. Set DATABASE_URL to use PostgreSQL instead.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
RQ_JOB_CLASS = "django_tasks_rq.Job"
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def say(message: str) -> None:
    print(f"\033[1m==> {message}\033[0m" if sys.stdout.isatty() else f"==> {message}", flush=True)


def run(*args: str | Path, env: dict | None = None) -> None:
    """Run a command in the project folder; stop with its exit code if it fails."""
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env)
    if result.returncode != 0:
        sys.exit(result.returncode)


def install(requirements: str) -> None:
    """Create .venv and install a requirements file into it, unless it is installed already."""
    if not PYTHON.exists():
        say("Creating the virtual environment in .venv")
        venv.create(VENV, with_pip=True)
    files = [ROOT / "requirements.txt", ROOT / requirements]
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()
    stamp = VENV / f".installed-{requirements}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    say(f"Installing {requirements}")
    quiet = ["--quiet", "--disable-pip-version-check"]
    run(PYTHON, "-m", "pip", "install", *quiet, "--upgrade", "pip")
    run(PYTHON, "-m", "pip", "install", *quiet, "-r", ROOT / requirements)
    stamp.write_text(digest)


def local_env() -> dict:
    """The environment of a desk install: plain HTTP on localhost."""
    env = dict(os.environ)
    env.setdefault("HTTPS", "0")
    env.setdefault("DEBUG", "0")
    env.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
    return env


def serve() -> None:
    install("requirements.txt")
    env = local_env()
    manage = [PYTHON, ROOT / "manage.py"]
    say("Migrating the database")
    run(*manage, "migrate", "--no-input", "-v", "0", env=env)
    run(*manage, "load_seeds", "--if-empty", env=env)
    run(*manage, "collectstatic", "--no-input", "-v", "0", env=env)
    host, port = env.get("HOST", "127.0.0.1"), env.get("PORT", "8000")
    run(*manage, "ensure_editor_account", "--url", f"http://{host}:{port}/admin/", env=env)
    say(f"Serving Factsite on http://{host}:{port}/ (API /api/, admin /admin/); Ctrl-C stops it")
    # In sessions of their own, so that Ctrl-C reaches this script only, which then asks each
    # to stop once, on its own terms: gunicorn lets the requests under way finish, the worker
    # the job under way (a second signal would cut that job short).
    apart = {"start_new_session": True} if os.name != "nt" else {}
    worker = subprocess.Popen([str(a) for a in worker_command(env)], cwd=ROOT, env=env, **apart)
    gunicorn = [BIN / "gunicorn", "--config", ROOT / "factsite" / "gunicorn_conf.py"]
    web = subprocess.Popen(
        [str(a) for a in [*gunicorn, "factsite.wsgi"]], cwd=ROOT, env=env, **apart
    )
    # SIGTERM (a service manager, `kill`) stops it as Ctrl-C does: the children, in sessions
    # of their own, would not hear it otherwise and would go on serving.
    if os.name != "nt":
        signal.signal(signal.SIGTERM, _interrupt)
    try:
        web.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop(web)
        say("Stopping the background worker (it finishes the job under way; Ctrl-C again stops it)")
        stop(worker)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def worker_command(env: dict) -> list:
    """The background worker beside gunicorn: RQ's when REDIS_URL is set (more can run on
    other machines), else the database backend's, which needs nothing but the database."""
    manage = [PYTHON, ROOT / "manage.py"]
    if env.get("REDIS_URL"):
        # RQ runs the job through django-tasks-rq's Job class, which calls the task.
        return [*manage, "rqworker", "--with-scheduler", "--job-class", RQ_JOB_CLASS, "default"]
    return [*manage, "db_worker", "--no-reload", "--interval", "1"]


def stop(process: subprocess.Popen) -> None:
    """Ask a child to stop gracefully (SIGTERM) and wait for it; a second Ctrl-C ends it now."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait()
    except KeyboardInterrupt:
        process.kill()
        process.wait()


def test(pytest_args: list[str]) -> None:
    install("requirements-dev.txt")
    env = dict(os.environ)
    result = subprocess.run([str(PYTHON), "-m", "pytest", *pytest_args], cwd=ROOT, env=env)
    sys.exit(result.returncode)


def main() -> None:
    if sys.version_info < (3, 10):  # noqa: UP036 - says so plainly on an older Python
        sys.exit("Factsite needs Python 3.10 or newer.")
    command, *rest = sys.argv[1:] or ["serve"]
    if command == "serve":
        serve()
    elif command == "test":
        test(rest)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
