"""Helpers for the donations' tests: donors and paid gifts made directly in the database."""

import datetime
import io
import re
from decimal import Decimal

import pypdf
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from donations.models import Donation, Donor, MonthlyGift
from kiosque.models import OutboxEmail
from kiosque.services import build_message
from tests.support import stripe_standin as standin_helpers
from tests.support.checkout import VISA


def make_donor(**changes) -> Donor:
    fields = {
        "email": "marie.curie@example.org",
        "first_name": "Marie Salomea",
        "last_name": "Curie",
        "line1": "36 quai de Béthune",
        "postcode": "75004",
        "city": "Paris",
        "country": "France",
    }
    fields.update(changes)
    return Donor.objects.create(**fields)


def paid_donation(donor: Donor, amount="50.00", *, paid_at=None, monthly_gift=None, **changes):
    fields = {"status": Donation.Status.PAID, "paid_at": paid_at or timezone.now()}
    fields.update(changes)
    return Donation.objects.create(
        donor=donor, amount=Decimal(amount), monthly_gift=monthly_gift, **fields
    )


def monthly_gift(donor: Donor, amount="10.00") -> MonthlyGift:
    return MonthlyGift.objects.create(
        donor=donor, amount=Decimal(amount), status=MonthlyGift.Status.ACTIVE
    )


def aware(year, month, day, hour=12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


WEBHOOK = "/stripe/webhook/"


DONOR = {
    "first_name": "Marie",
    "last_name": "Curie",
    "email": "marie@example.org",
    "line1": "36 quai de Béthune",
    "line2": "",
    "postcode": "75004",
    "city": "Paris",
    "country": "France",
}


def give(client, *, amount="50", other="", frequency="once", **changes):
    data = {**DONOR, "amount": amount, "other_amount": other, "frequency": frequency, **changes}
    return client.post(reverse("donations:donate"), data)


def pay(client, standin, number=VISA):
    """The payment page's script: the card attempt, Stripe.js (a token for a one-off gift,
    the set-up confirmed for a monthly one), then the charge."""
    setup = client.post(reverse("donations:card-setup"))
    assert setup.status_code == 200, setup.content
    if setup.json()["card_token"]:
        token = standin.create_token(number)
        assert token.get("id", "").startswith("tok_"), token
        return client.post(reverse("donations:card-pay"), {"token": token["id"]})
    setup_intent = standin.confirm_card_setup(setup.json()["client_secret"], number)
    assert setup_intent.get("status") == "succeeded", setup_intent
    return client.post(reverse("donations:card-pay"), {"setup_intent": setup_intent["id"]})


GOOD_IBAN = "FR1420041010050500013M02606"
FAILING_IBAN = "DE62370400440532013001"  # the stand-in's debits on it fail ~0.5 s later


def pay_by_debit(client, standin, iban=GOOD_IBAN):
    """The payment page's script for a SEPA debit: the set-up, the mandate confirmed with
    Stripe.js (IBAN and holder), then the charge or the subscription."""
    setup = client.post(reverse("donations:card-setup"), {"method": "sepa_debit"})
    assert setup.status_code == 200, setup.content
    assert setup.json()["card_token"] is False  # a debit is always set up, never a token
    setup_intent = standin.confirm_sepa_setup(setup.json()["client_secret"], iban)
    assert setup_intent.get("status") == "succeeded", setup_intent
    return client.post(reverse("donations:card-pay"), {"setup_intent": setup_intent["id"]})


def post_event(payload: bytes, signature: str):
    return Client().post(
        WEBHOOK, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )


def invoice_event(event_type, invoice_id, subscription_id, cents=1000):
    """An invoice event as Stripe sends it (newer shape: the subscription under parent)."""
    return standin_helpers.event(
        event_type,
        {
            "id": invoice_id,
            "object": "invoice",
            "status": "paid",
            "amount_paid": cents,
            "currency": "eur",
            "parent": {
                "type": "subscription_details",
                "subscription_details": {"subscription": subscription_id},
            },
            "status_transitions": {"paid_at": 1790000000},
        },
    )


def paid_invoice(
    invoice_id: str, subscription_id: str, paid_at: datetime.datetime, cents: int = 1000
) -> None:
    """Stripe's ``invoice.paid`` for a later month of a subscription, signed."""
    payload = standin_helpers.event(
        "invoice.paid",
        {
            "id": invoice_id,
            "object": "invoice",
            "status": "paid",
            "amount_paid": cents,
            "currency": "eur",
            "parent": {
                "type": "subscription_details",
                "subscription_details": {"subscription": subscription_id},
            },
            "status_transitions": {"paid_at": int(paid_at.timestamp())},
        },
    )
    assert post_event(payload, standin_helpers.sign(payload)).status_code == 200


def pdf_text(document: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(document))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split())


def spaced(text: str) -> str:
    """French typography's no-break spaces as plain ones, for comparing."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


def token_in(body: str, prefix: str) -> str:
    """The signed token of the link starting with ``prefix`` in an email."""
    match = re.search(re.escape(prefix) + r"([^/\s]+)/", body)
    assert match, f"no {prefix} link in {body!r}"
    return match[1]


def attachments(email: OutboxEmail) -> dict[str, bytes]:
    """The files as the worker attaches them when it delivers the email."""
    return {name: content for name, content, _type in build_message(email).attachments}
