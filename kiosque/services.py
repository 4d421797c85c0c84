import base64
import datetime
import logging
import time

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from kiosque import attachments as attachments_made
from kiosque.models import OutboxEmail

logger = logging.getLogger(__name__)


def send_templated_email(
    template: str, *, to: str, language: str, context: dict, attachments=()
) -> None:
    """Render ``template``'s trio (``_subject.txt``, ``.txt``, ``.html``) in ``language`` and
    send it; the outbox backend stores it in the current transaction for a worker to deliver.

    ``attachments`` are PDFs: (filename, kind, key), made by ``kiosque.attachments.make(kind,
    key)`` when the worker delivers the email (at once with a backend that sends at once).
    """
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[to])
    message.attach_alternative(html, "text/html")
    # The outbox backend (kiosque.mail) has the worker make them when it delivers.
    if getattr(message.get_connection(), "makes_attachments_on_delivery", False):
        message.attachments_to_make = list(attachments)
    else:
        for filename, kind, key in attachments:
            message.attach(filename, attachments_made.make(kind, key), "application/pdf")
    message.send()


@transaction.atomic
def queue_email(message: EmailMultiAlternatives) -> OutboxEmail:
    """Store ``message`` in the outbox (the backend, kiosque.mail, has it delivered by a
    worker once the transaction commits)."""
    html_body = ""
    for content, mimetype in getattr(message, "alternatives", None) or []:
        if mimetype == "text/html":
            html_body = content
    attachments = [
        {"filename": filename, "mimetype": "application/pdf", "kind": kind, "key": key}
        for filename, kind, key in getattr(message, "attachments_to_make", ())
    ]
    for attachment in message.attachments:
        filename, content, mimetype = attachment
        if isinstance(content, str):
            content = content.encode()
        attachments.append(
            {
                "filename": filename,
                "mimetype": mimetype or "application/octet-stream",
                "content_b64": base64.b64encode(content).decode("ascii"),
            }
        )
    email = OutboxEmail.objects.create(
        subject=str(message.subject),
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(message.to),
        cc=list(message.cc),
        bcc=list(message.bcc),
        reply_to=list(message.reply_to),
        headers=dict(message.extra_headers),
        body=message.body,
        html_body=html_body,
        attachments=attachments,
    )
    return email


def build_message(email: OutboxEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        from_email=email.from_email,
        to=email.to,
        cc=email.cc,
        bcc=email.bcc,
        reply_to=email.reply_to,
        headers=email.headers,
        connection=get_connection(settings.EMAIL_DELIVERY_BACKEND),
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    for attachment in email.attachments:
        if "kind" in attachment:
            content = attachments_made.make(attachment["kind"], attachment["key"])
        else:
            content = base64.b64decode(attachment["content_b64"])
        message.attach(attachment["filename"], content, attachment["mimetype"])
    return message


class SentButNotRecorded(Exception):
    """The mail server accepted the email, the database did not record it: the email must
    not be sent again; only ``record_sent`` is to be tried again."""

    def __init__(self, email_id: int, accepted_at: datetime.datetime):
        super().__init__(f"email {email_id} sent at {accepted_at.isoformat()}, not recorded")
        self.email_id = email_id
        self.accepted_at = accepted_at


# Tries of the bookkeeping in the same process before leaving it to a task's retry.
RECORD_TRIES = 3


def deliver_email(email_id: int) -> bool:
    """Send one outbox email, at most once. Returns False when there is nothing to send.

    The row is locked while sending, so two workers given the same email send it once.
    A mail server error is recorded on the email and raised again, so that the task retries.
    Once the mail server has accepted the email, a database error does not send it again:
    the bookkeeping is tried again here, then ``SentButNotRecorded`` says it is left to do.
    """
    accepted_at = None
    try:
        with transaction.atomic():
            email = OutboxEmail.objects.select_for_update().filter(pk=email_id).first()
            if email is None or email.sent_at is not None:
                return False
            try:
                build_message(email).send()
            except Exception as exc:
                error = exc
            else:
                accepted_at = timezone.now()
                email.attempts += 1
                email.sent_at = accepted_at
                email.last_error = ""
                email.save(update_fields=["attempts", "sent_at", "last_error"])
                return True
    except DatabaseError:
        if accepted_at is None:
            raise  # nothing went out: the whole delivery is tried again
        logger.warning("Email %s sent, not recorded; recording again", email_id, exc_info=True)
        for wait in range(1, RECORD_TRIES + 1):
            try:
                return record_sent(email_id, sent_at=accepted_at)
            except DatabaseError:
                logger.warning("Email %s: recording failed again", email_id, exc_info=True)
                time.sleep(wait)
        raise SentButNotRecorded(email_id, accepted_at) from None
    OutboxEmail.objects.filter(pk=email_id).update(
        attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"
    )
    raise error


@transaction.atomic
def record_sent(email_id: int, *, sent_at: datetime.datetime) -> bool:
    """Record that the mail server accepted the email at ``sent_at`` (bookkeeping only)."""
    OutboxEmail.objects.filter(pk=email_id, sent_at__isnull=True).update(
        attempts=F("attempts") + 1, sent_at=sent_at, last_error=""
    )
    return True


def record_delivery_failure(email_id: int) -> None:
    """Mark an email given up after its last retry, so staff see it."""
    OutboxEmail.objects.filter(pk=email_id, sent_at__isnull=True).update(failed_at=timezone.now())
