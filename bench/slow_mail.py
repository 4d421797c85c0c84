"""A mail server that takes SLOW_MAIL_SECONDS (2 by default) to accept each message, for the
end-to-end donation benchmark: the donor's page must not wait for it."""

import os
import time

from django.core.mail.backends.filebased import EmailBackend


class SlowMailServer(EmailBackend):
    def send_messages(self, email_messages):
        time.sleep(float(os.environ.get("SLOW_MAIL_SECONDS", "2")))
        return super().send_messages(email_messages)
