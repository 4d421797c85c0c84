"""A real Celery worker process for the tests (no eager mode), on the test database and the
configured broker (Redis in CI, the file-system broker by default)."""

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

from config.celery import app


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user = db["USER"] or "postgres"
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def running_worker(mail_dir, log_path, pool="solo", include=None, **extra_env):
    """A ``celery worker`` process for the duration of the block; ``pool="prefork"`` runs the
    tasks in a child process, as production does. ``include`` names a test module the worker
    imports too (``--include``), e.g. tests.support.fault_hooks."""
    app.control.purge()  # messages left by an earlier, interrupted run
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": database_url(),
        "EMAIL_FILE_PATH": str(mail_dir),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),  # a test's own media (the association's files)
        **extra_env,
    }
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            *([f"--include={include}"] if include else []),
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        print(log_path.read_text())  # shown by pytest when the test fails


def pool_processes(worker: subprocess.Popen) -> list[int]:
    """The pids of a prefork worker's child processes."""
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text()
    return [int(pid) for pid in children.split()]


def wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A Redis server of the test's own, to stop and start again: a broker outage that the
    shared Redis of the other tests does not suffer. It keeps nothing on disk, as Redis is
    usually run as a broker: a restart finds it empty."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def answers(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
        except OSError:
            return False
        return True

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""],
            stdout=subprocess.DEVNULL,
        )
        assert wait_for(self.answers, timeout=10), "redis-server did not start"

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
        assert not self.answers()


@contextmanager
def site_broker(url: str):
    """This process's Celery app (the web side, which enqueues) on the broker at ``url``.

    Celery prefers the CELERY_BROKER_URL environment variable to its settings; the write
    and read URLs are read from the settings first."""

    def use(write_url, read_url):
        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None
        app.conf.broker_write_url = write_url
        app.conf.broker_read_url = read_url

    saved = app.conf.get("broker_write_url"), app.conf.get("broker_read_url")
    use(url, url)
    try:
        yield
    finally:
        use(*saved)
