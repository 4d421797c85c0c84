"""Django email backend that puts every message in the outbox instead of sending it.

Oscar's Dispatcher, Django's password reset and our own code all call ``send_mail`` or
``EmailMessage.send()``; with this backend they return at once and a Celery worker
delivers the message after the transaction commits (see kiosque.services.queue_email).
"""

from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from kiosque import services, tasks


class OutboxEmailBackend(BaseEmailBackend):
    # send_templated_email leaves the PDFs to the worker that delivers (kiosque.attachments).
    makes_attachments_on_delivery = True

    def send_messages(self, email_messages):
        for message in email_messages:
            email = services.queue_email(message)
            transaction.on_commit(lambda email_id=email.pk: tasks.enqueue_delivery(email_id))
        return len(email_messages)
