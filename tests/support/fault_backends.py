"""Mail servers that fail, for the worker's delivery (EMAIL_DELIVERY_BACKEND).

FlakyMailServer refuses as many sends as the file named by FLAKY_MAIL_REFUSALS says, then
writes the messages as Django's file backend does. The counts live in files because the
failures must span the worker's retries.
"""

import os
import smtplib
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend
from django.db import OperationalError, connection


class FlakyMailServer(EmailBackend):
    def send_messages(self, email_messages):
        counter = Path(os.environ["FLAKY_MAIL_REFUSALS"])
        left = int(counter.read_text())
        if left > 0:
            counter.write_text(str(left - 1))
            raise smtplib.SMTPServerDisconnected("the mail server refused the connection")
        return super().send_messages(email_messages)


class BookkeepingFailsAfterSending(EmailBackend):
    """A mail server that accepts every message; then the database refuses the bookkeeping
    ("database is locked", as SQLite said in the demo) as many times as the file named by
    BOOKKEEPING_FAILURES says. The message is out: only the bookkeeping may be tried again."""

    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        if refuse_outbox_updates not in connection.execute_wrappers:
            connection.execute_wrappers.append(refuse_outbox_updates)
        return sent


def refuse_outbox_updates(execute, sql, params, many, context):
    counter = Path(os.environ["BOOKKEEPING_FAILURES"])
    if sql.startswith("UPDATE") and "outboxemail" in sql:
        left = int(counter.read_text())
        if left > 0:
            counter.write_text(str(left - 1))
            raise OperationalError("database is locked")
    return execute(sql, params, many, context)
