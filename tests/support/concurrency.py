"""Helpers shared by the tests."""

import threading

import pytest
from django.db import connection

concurrent = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL's row locks and concurrent writers (CI runs it on PostgreSQL)",
)


def run_together(*actions):
    """Run the actions in threads released at the same instant; returns their results."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            results[index] = action()
        except Exception as error:  # reported by the test's assertions
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results
