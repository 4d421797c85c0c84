"""What the benchmarks share: a PostgreSQL database of their own, the environment of a
production-like process, and the site served by gunicorn."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kiosque_bench"
)
WEBHOOK_SECRET = "whsec_kiosque_bench"


def environment(**extra) -> dict:
    """Production settings (DEBUG off) on the benchmark's database, no HTTPS redirect."""
    VAR.mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": DATABASE_URL,
        "SECRET_KEY": "kiosque-benchmark-only",
        "DEBUG": "false",
        # Plain HTTP on loopback (TLS ends at the proxy in production): cookies must pass.
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "MEDIA_ROOT": str(VAR / "media"),
        "PRIVATE_MEDIA_ROOT": str(VAR / "private"),
        "SEARCH_INDEX_PATH": str(VAR / "whoosh"),
        "EMAIL_FILE_PATH": str(VAR / "mail"),
        "CELERY_BROKER_DIR": str(VAR / "celery"),
        "STATIC_ROOT": str(VAR / "static"),
        # Not measured here: rate limits would answer 429 to a load generator.
        "PAYMENT_ATTEMPTS_LIMIT": "1000000000",
        **extra,
    }


def setup_django() -> None:
    os.environ.update(environment())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def recreate_database() -> None:
    """An empty database, migrated, with the demo data and static files collected."""
    import psycopg

    shutil.rmtree(VAR, ignore_errors=True)  # files and queued messages of an earlier run

    name = DATABASE_URL.rsplit("/", 1)[1]
    with psycopg.connect(DATABASE_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')
    manage("migrate", "--noinput")
    manage("load_demo")
    manage("collectstatic", "--noinput")


def manage(*args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment(),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(workers: int = 2, port: int | None = None, **env):
    """The site served as in production: gunicorn, ``workers`` sync workers."""
    port = port or free_port()
    process = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", str(workers),
            "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
        ],
        cwd=ROOT,
        env=environment(**env),
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/bench/constant/", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def empty_broker() -> None:
    """No message left by an earlier part (its emails would queue before ours)."""
    shutil.rmtree(VAR / "celery", ignore_errors=True)


@contextmanager
def celery_worker(**env):
    """A Celery worker on the benchmark's database and file-system broker."""
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
         "--loglevel=WARNING", "--without-gossip", "--without-mingle"],
        cwd=ROOT,
        env=environment(**env),
        stdout=(VAR / "worker.log").open("w"),
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)
