"""The demo's SQLite database is shared by the web process, the worker and the webhooks:
two processes writing at once must wait their turn, never fail with "database is locked"."""

import os
import sqlite3
import subprocess
import sys

from django.conf import settings

WRITES = 200

# Each process reads, then writes, in one transaction, as a request or a task does; a
# transaction that starts by reading and then writes is what SQLite refused in the demo.
WRITER = """
import sys, time
import django
django.setup()
from django.db import connection, transaction
start = sys.argv[2]
while not __import__("os").path.exists(start):
    time.sleep(0.01)
for i in range(int(sys.argv[3])):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM visit")
        time.sleep(0.005)
        cursor.execute("INSERT INTO visit (who) VALUES (%s)", [sys.argv[1]])
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    print(cursor.fetchone()[0])
"""


def test_two_processes_writing_at_once_to_the_demo_database_both_succeed(tmp_path):
    database = tmp_path / "demo.sqlite3"
    with sqlite3.connect(database) as db:
        db.execute("CREATE TABLE visit (id INTEGER PRIMARY KEY, who TEXT)")
    start = tmp_path / "start"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": f"sqlite:///{database}",  # the demo's default engine, with its settings
    }
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, who, str(start), str(WRITES)],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in ("web", "worker")
    ]
    start.touch()
    results = [writer.communicate(timeout=120) for writer in writers]

    for writer, (out, err) in zip(writers, results, strict=True):
        assert "database is locked" not in err
        assert writer.returncode == 0, err
        assert out.strip() == "wal"  # readers do not block the writer, nor it them
    with sqlite3.connect(database) as db:
        counts = dict(db.execute("SELECT who, count(*) FROM visit GROUP BY who"))
    assert counts == {"web": WRITES, "worker": WRITES}
