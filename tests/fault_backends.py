"""A mail server that refuses for a while, for the worker's delivery (EMAIL_DELIVERY_BACKEND).

It refuses as many sends as the file named by FLAKY_MAIL_REFUSALS says, then writes the
messages as Django's file backend does. The count lives in a file because the refusals
must span the worker's retries.
"""

import os
import smtplib
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend


class FlakyMailServer(EmailBackend):
    def send_messages(self, email_messages):
        counter = Path(os.environ["FLAKY_MAIL_REFUSALS"])
        left = int(counter.read_text())
        if left > 0:
            counter.write_text(str(left - 1))
            raise smtplib.SMTPServerDisconnected("the mail server refused the connection")
        return super().send_messages(email_messages)
