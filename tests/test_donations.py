"""Giving online, once or every month, through HTTP with the real SDK against the stand-in."""

import json
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from donations import links
from donations.models import Association, Donation, Donor, MonthlyGift, Receipt
from kiosque.models import OutboxEmail
from kiosque.services import build_message
from payments import gateway, subscriptions
from tests import stripe_standin as standin_helpers
from tests.accounts import verified
from tests.checkout import DECLINED_AT_CHARGE, THREE_D_SECURE, VISA
from tests.test_receipts import pdf_text

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

pytestmark = pytest.mark.usefixtures("association", "outbox_emails")


def give(client, *, amount="50", other="", frequency="once", **changes):
    data = {**DONOR, "amount": amount, "other_amount": other, "frequency": frequency, **changes}
    return client.post(reverse("donations:donate"), data)


def pay(client, standin, number=VISA):
    """The payment page's script: card setup, Stripe.js, then the charge."""
    setup = client.post(reverse("donations:card-setup"))
    assert setup.status_code == 200, setup.content
    setup_intent = standin.confirm_card_setup(setup.json()["client_secret"], number)
    assert setup_intent.get("status") == "succeeded", setup_intent
    return client.post(reverse("donations:card-pay"), {"setup_intent": setup_intent["id"]})


def post_event(payload: bytes, signature: str):
    return Client().post(
        WEBHOOK, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )


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


def test_every_page_links_to_the_donation_page(client):
    for url in ("/", reverse("catalogue:index"), reverse("basket:summary")):
        assert reverse("donations:donate") in client.get(url).content.decode()


def test_the_donation_page_shows_the_cost_after_tax_reduction(client):
    html = client.get(reverse("donations:donate")).content.decode()
    assert "Un don de 50 € ne vous coûte que 17 € après réduction d'impôt." in html
    for preset in ("20 €", "50 €", "100 €", "200 €"):
        assert preset in html
    assert 'name="newsletter"' in html and "checked" not in html.split('name="newsletter"')[1][:40]


@pytest.mark.parametrize(
    ("amount", "other", "field", "message"),
    [
        ("other", "4,99", "other_amount", "Le don minimum en ligne est de 5 €."),
        ("other", "10000,01", "other_amount", "Les dons en ligne sont limités à 10 000 €."),
        (
            "other",
            "douze",
            "other_amount",
            "Saisissez un montant en euros, par exemple 35 ou 35,50.",
        ),
        ("other", "12,345", "other_amount", "Saisissez un montant en euros"),
        ("other", "", "other_amount", "Indiquez le montant de votre don."),
        ("7", "", "amount", "Sélectionnez un choix valide."),
    ],
)
def test_a_bad_amount_gets_a_french_message_and_creates_nothing(
    client, amount, other, field, message
):
    response = give(client, amount=amount, other=other)
    assert response.status_code == 200
    assert message in spaced(" ".join(response.context["form"].errors[field]))
    assert message in spaced(response.content.decode())
    assert response.context["form"]["first_name"].value() == "Marie"  # nothing lost
    assert not Donor.objects.exists() and not Donation.objects.exists()


def test_the_address_is_required(client):
    response = give(client, line1="", postcode="")
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.context["form"].errors["line1"]
    assert not Donor.objects.exists()


def test_a_one_off_gift_is_paid_receipted_and_thanked_once(client, stripe_standin):
    assert give(client, amount="other", other="35,50", newsletter="on").status_code == 302
    page = client.get(reverse("donations:payment")).content.decode()
    assert "Donner 35,50" in page and 'id="card-element"' in page

    response = pay(client, stripe_standin)

    assert response.json() == {"redirect": reverse("donations:thanks")}
    donation = Donation.objects.get()
    assert donation.status == Donation.Status.PAID and donation.amount == Decimal("35.50")
    assert donation.donor.newsletter_consent_at is not None
    intent = gateway.client().v1.payment_intents.retrieve(donation.payment_intent_id)
    assert (intent.status, intent.amount, intent.metadata["purpose"]) == (
        "succeeded",
        3550,
        "kiosque_donation",
    )
    receipt = donation.receipt
    assert receipt.amount == Decimal("35.50") and receipt.kind == Receipt.Kind.ONE_OFF
    # The newsletter's confirmation link went first (double opt-in), then the thanks.
    assert OutboxEmail.objects.filter(subject__contains="lettre d'information").count() == 1
    email = OutboxEmail.objects.get(subject__startswith="Merci")
    assert email.to == ["marie@example.org"]
    assert receipt.number in email.subject
    assert "35,50" in email.body
    assert links.donor_of(token_in(email.body, "/don/recus/")) == donation.donor
    # The PDF is made by the worker delivering the email, not while the donor waits.
    assert not receipt.pdf
    attached = attachments(email)
    receipt.refresh_from_db()
    assert attached == {f"recu-fiscal-{receipt.number}.pdf": bytes(receipt.pdf)}
    assert "Merci" in client.get(reverse("donations:thanks")).content.decode()

    # Stripe's webhook, then the same event again: nothing more.
    payload, signature = stripe_standin.inbox.wait_for("payment_intent.succeeded", intent.id)
    assert post_event(payload, signature).status_code == 200
    assert post_event(payload, signature).status_code == 200
    assert Donation.objects.count() == 1
    assert Receipt.objects.count() == 1
    assert OutboxEmail.objects.filter(subject__startswith="Merci").count() == 1


def test_the_webhook_may_come_first(client, stripe_standin):
    give(client)
    answer = pay(client, stripe_standin, THREE_D_SECURE).json()
    assert answer["requires_action"] is True
    intent = stripe_standin.confirm_card_payment(answer["client_secret"])
    payload, signature = stripe_standin.inbox.wait_for("payment_intent.succeeded", intent["id"])

    assert post_event(payload, signature).status_code == 200
    assert Donation.objects.get().status == Donation.Status.PAID
    complete = client.post(reverse("donations:card-complete"))

    assert complete.json() == {"redirect": reverse("donations:thanks")}
    assert Receipt.objects.count() == 1 and OutboxEmail.objects.count() == 1


def test_a_declined_card_records_nothing_paid(client, stripe_standin):
    give(client)
    response = pay(client, stripe_standin, DECLINED_AT_CHARGE)

    assert response.status_code == 402
    assert response.json()["error"].startswith("Votre carte a été refusée")
    assert Donation.objects.get().status == Donation.Status.FAILED
    assert not Receipt.objects.exists() and not OutboxEmail.objects.exists()
    # The page offers a new attempt for the same gift.
    assert client.get(reverse("donations:payment")).status_code == 200
    assert pay(client, stripe_standin).json() == {"redirect": reverse("donations:thanks")}
    assert Donation.objects.filter(status=Donation.Status.PAID).count() == 1


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


def test_a_monthly_gift_makes_one_donation_per_paid_invoice(client, stripe_standin):
    Association.objects.update(monthly_receipts=Association.MonthlyReceipts.ANNUAL)
    give(client, amount="other", other="10", frequency="monthly")
    page = client.get(reverse("donations:payment")).content.decode()
    assert "Donner 10,00 € chaque mois" in spaced(page)

    assert pay(client, stripe_standin).json() == {"redirect": reverse("donations:thanks")}

    gift = MonthlyGift.objects.get()
    assert gift.status == MonthlyGift.Status.ACTIVE
    subscription = gateway.client().v1.subscriptions.retrieve(gift.stripe_subscription_id)
    assert subscription.status == "active" and subscription.plan.amount == 1000
    first = Donation.objects.get()
    assert (first.monthly_gift, first.amount) == (gift, Decimal("10.00"))
    # This association sends one summary receipt in January.
    assert first.receipt is None
    email = OutboxEmail.objects.get()
    assert email.attachments == [] and "janvier" in email.body
    assert links.monthly_gift_of(token_in(email.body, "/don/mensuel/")) == gift

    # The stand-in's invoice.payment_succeeded for the first month: already recorded.
    payload, signature = stripe_standin.inbox.wait_for(
        "invoice.payment_succeeded", first.invoice_id
    )
    assert post_event(payload, signature).status_code == 200
    assert Donation.objects.count() == 1

    # Next month: Stripe sends invoice.paid and invoice.payment_succeeded, in any order.
    Association.objects.update(monthly_receipts=Association.MonthlyReceipts.PER_PAYMENT)
    for event_type in ("invoice.paid", "invoice.payment_succeeded", "invoice.paid"):
        payload = invoice_event(event_type, "in_second_month", gift.stripe_subscription_id)
        assert post_event(payload, standin_helpers.sign(payload)).status_code == 200

    second = Donation.objects.get(invoice_id="in_second_month")
    assert Donation.objects.count() == 2
    assert second.receipt.amount == Decimal("10.00")
    email = OutboxEmail.objects.order_by("-pk").first()
    assert list(attachments(email)) == [f"recu-fiscal-{second.receipt.number}.pdf"]


def test_an_invoice_of_another_subscription_is_left_alone(stripe_standin):
    customer = gateway.client().v1.customers.create()
    plan = subscriptions.monthly_plan(Decimal("12"))
    payment_method = gateway.client().v1.payment_methods.attach(
        "pm_card_visa", params={"customer": customer.id}
    )
    gateway.client().v1.customers.update(
        customer.id, params={"invoice_settings": {"default_payment_method": payment_method.id}}
    )
    subscription = gateway.client().v1.subscriptions.create(
        params={"customer": customer.id, "items": [{"plan": plan}]}
    )
    payload = invoice_event("invoice.paid", "in_not_a_gift", subscription.id)
    assert post_event(payload, standin_helpers.sign(payload)).status_code == 200
    assert not Donation.objects.exists()


def test_the_donor_stops_a_monthly_gift_from_the_email_link(client, stripe_standin):
    give(client, frequency="monthly", amount="20")
    pay(client, stripe_standin)
    gift = MonthlyGift.objects.get()
    url = links.stop_url(gift).removeprefix("http://127.0.0.1:8000")

    page = Client().get(url)
    assert page.status_code == 200 and "Arrêter mon don mensuel" in page.content.decode()
    response = Client().post(url, follow=True)

    assert "Votre don mensuel est arrêté" in response.content.decode()
    gift.refresh_from_db()
    assert gift.status == MonthlyGift.Status.STOPPED
    subscription = gateway.client().v1.subscriptions.retrieve(gift.stripe_subscription_id)
    assert subscription.status == "canceled"
    assert Client().get(url[:-12] + "x" + url[-11:]).status_code == 403  # forged


def test_a_refund_cancels_the_receipt(client, stripe_standin):
    give(client)
    pay(client, stripe_standin)
    donation = Donation.objects.get()
    receipt = donation.receipt
    refund = gateway.client().v1.refunds.create(
        params={"payment_intent": donation.payment_intent_id}
    )
    charge = gateway.client().v1.charges.retrieve(refund.charge)
    payload = standin_helpers.event("charge.refunded", json.loads(str(charge)))

    assert post_event(payload, standin_helpers.sign(payload)).status_code == 200
    assert post_event(payload, standin_helpers.sign(payload)).status_code == 200  # replay

    receipt.refresh_from_db()
    donation.refresh_from_db()
    assert donation.status == Donation.Status.REFUNDED
    assert receipt.is_cancelled and receipt.cancellation_reason.startswith("Remboursement")
    assert Receipt.objects.count() == 1  # nothing left to receipt
    told = OutboxEmail.objects.order_by("-pk").first()
    assert receipt.number in told.subject and "annulé" in told.subject


def test_a_partial_refund_issues_a_corrected_receipt(client, stripe_standin):
    give(client, amount="100")
    pay(client, stripe_standin)
    donation = Donation.objects.get()
    refund = gateway.client().v1.refunds.create(
        params={"payment_intent": donation.payment_intent_id, "amount": 3000}
    )
    charge = gateway.client().v1.charges.retrieve(refund.charge)
    payload = standin_helpers.event("charge.refunded", json.loads(str(charge)))

    assert post_event(payload, standin_helpers.sign(payload)).status_code == 200

    cancelled, corrected = Receipt.objects.order_by("sequence")
    assert cancelled.is_cancelled and corrected.replaces == cancelled
    assert corrected.amount == Decimal("70.00")
    told = OutboxEmail.objects.order_by("-pk").first()
    assert list(attachments(told)) == [f"recu-fiscal-{corrected.number}.pdf"]


def test_receipts_from_the_signed_link_and_from_the_account(
    client, stripe_standin, django_user_model
):
    give(client)
    pay(client, stripe_standin)
    receipt = Receipt.objects.get()
    url = links.receipts_url(receipt.donor).removeprefix("http://127.0.0.1:8000")

    page = Client().get(url).content.decode()
    assert receipt.number in page
    download = Client().get(f"{url}{receipt.number}.pdf")
    assert download["Content-Type"] == "application/pdf"
    # The PDF made once and kept (a second rendering would carry another creation time).
    receipt.refresh_from_db()
    assert b"".join(download.streaming_content) == bytes(receipt.pdf)
    assert Client().get(url.replace(":", "x", 1)).status_code == 403

    reader = verified(
        django_user_model.objects.create_user("m", "Marie@example.org", "x-long-password")
    )
    other = django_user_model.objects.create_user("o", "other@example.org", "x-long-password")
    account = Client()
    account.force_login(reader)
    assert receipt.number in account.get(reverse("donations:account")).content.decode()
    own = account.get(reverse("donations:account-receipt", args=[receipt.number]))
    assert own.status_code == 200
    stranger = Client()
    stranger.force_login(other)
    assert (
        stranger.get(reverse("donations:account-receipt", args=[receipt.number])).status_code == 404
    )


def test_an_expired_link_is_refused(client, stripe_standin, settings, monkeypatch):
    give(client)
    pay(client, stripe_standin)
    donor = Donor.objects.get()
    url = links.receipts_url(donor).removeprefix("http://127.0.0.1:8000")
    import time

    later = time.time() + (settings.KIOSQUE_DONOR_LINK_DAYS + 1) * 86400
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    response = Client().get(url)
    assert response.status_code == 403
    assert "Ce lien n'est plus valide" in response.content.decode()


def test_an_english_donor_is_thanked_in_english(client, stripe_standin):
    response = client.post(
        "/en/don/",
        {**DONOR, "amount": "20", "other_amount": "", "frequency": "once"},
    )
    assert response.status_code == 302
    pay(client, stripe_standin)  # the gift keeps the language it was made in
    email = OutboxEmail.objects.get()
    assert email.subject.startswith("Thank you for your gift")
    assert "We received your gift of €20.00" in email.body
    # The receipt itself is a French legal document.
    receipt = Donation.objects.get().receipt
    assert "Reçu au titre des dons" in pdf_text(
        attachments(email)[f"recu-fiscal-{receipt.number}.pdf"]
    )


def test_a_signed_in_donor_stops_a_monthly_gift_from_the_account(
    client, stripe_standin, django_user_model
):
    reader = verified(
        django_user_model.objects.create_user("m", "marie@example.org", "x-long-password")
    )
    client.force_login(reader)
    give(client, frequency="monthly", amount="20")
    pay(client, stripe_standin)
    gift = MonthlyGift.objects.get()
    page = client.get(reverse("donations:account")).content.decode()
    assert "20,00" in page and "Arrêter" in page

    response = client.post(reverse("donations:account-stop-monthly-gift", args=[gift.pk]))

    assert response.url == reverse("donations:account")
    gift.refresh_from_db()
    assert gift.status == MonthlyGift.Status.STOPPED
    subscription = gateway.client().v1.subscriptions.retrieve(gift.stripe_subscription_id)
    assert subscription.status == "canceled"


def test_gifts_and_orders_stay_apart(client, stripe_standin):
    from oscar.core.loading import get_model

    give(client)
    pay(client, stripe_standin)
    donation = Donation.objects.get()
    payload, signature = stripe_standin.inbox.wait_for(
        "payment_intent.succeeded", donation.payment_intent_id
    )
    assert post_event(payload, signature).status_code == 200
    assert not get_model("order", "Order").objects.exists()
    assert not get_model("payment", "Source").objects.exists()


@pytest.mark.parametrize("authenticate", [True, False])
def test_a_monthly_gift_whose_bank_asks_for_3d_secure(client, stripe_standin, authenticate):
    give(client, frequency="monthly", amount="20")
    answer = pay(client, stripe_standin, THREE_D_SECURE).json()
    assert answer["requires_action"] is True
    assert MonthlyGift.objects.get().status == MonthlyGift.Status.PENDING
    stripe_standin.confirm_card_payment(answer["client_secret"], authenticate=authenticate)

    response = client.post(reverse("donations:card-complete"))

    gift = MonthlyGift.objects.get()
    subscription = gateway.client().v1.subscriptions.retrieve(gift.stripe_subscription_id)
    if authenticate:
        assert response.json() == {"redirect": reverse("donations:thanks")}
        assert gift.status == MonthlyGift.Status.ACTIVE
        assert subscription.status == "active"
        assert Donation.objects.get().amount == Decimal("20.00")
    else:
        assert response.status_code == 402
        assert "3-D Secure" in response.json()["error"]
        assert gift.status == MonthlyGift.Status.FAILED
        assert subscription.status in ("canceled", "incomplete_expired")
        assert not Donation.objects.exists()


def test_a_declined_card_starts_no_monthly_gift(client, stripe_standin):
    give(client, frequency="monthly", amount="20")
    response = pay(client, stripe_standin, DECLINED_AT_CHARGE)

    assert response.status_code == 402
    assert response.json()["error"].startswith("Votre carte a été refusée")
    gift = MonthlyGift.objects.get()
    assert gift.status == MonthlyGift.Status.FAILED
    subscription = gateway.client().v1.subscriptions.retrieve(gift.stripe_subscription_id)
    assert subscription.status == "canceled"
    assert not Donation.objects.exists()
