"""Gifts by SEPA direct debit through HTTP, with the real SDK against the stand-in: a debit
is not money until the bank says so (no receipt while it is processing), then receipted as
"prélèvement"; the mandate is kept with the gift; the payer can only choose what the page
offers."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from donations.models import Association, Donation, MonthlyGift, Receipt
from donations.services.receipts import receipt_pdf
from kiosque.models import OutboxEmail
from tests.support.donations import (
    FAILING_IBAN,
    give,
    pay_by_debit,
    pdf_text,
    post_event,
)
from tests.support.donations import paid_invoice as sign_paid_invoice

pytestmark = pytest.mark.usefixtures("association", "outbox_emails")


def test_the_payment_page_offers_a_debit_with_the_mandate_in_french_and_english(
    client, association
):
    give(client)
    page = client.get(reverse("donations:payment")).content.decode()
    assert "Prélèvement SEPA" in page and 'id="sepa-iban"' in page
    assert f"vous autorisez (A) {escape(association.name)} et Stripe" in page
    assert "dans un délai de 8 semaines" in page

    page = client.get("/en" + reverse("donations:payment")).content.decode()
    assert f"you authorise (A) {escape(association.name)} and Stripe" in page
    assert "within 8 weeks" in page


def test_a_one_off_debit_is_receipted_as_a_direct_debit_with_its_mandate(client, stripe_standin):
    give(client, amount="other", other="40")
    # The stand-in pays a good IBAN's debit at once (Stripe: days later, by the webhook).
    assert pay_by_debit(client, stripe_standin).json() == {"redirect": reverse("donations:thanks")}

    donation = Donation.objects.select_related("mandate", "receipt").get()
    assert donation.status == Donation.Status.PAID
    assert donation.method == Donation.Method.DIRECT_DEBIT
    assert donation.mandate.account_label == "FR•• •••• •••• 2606"
    assert donation.mandate.reference and donation.mandate.account_holder == "Marie Curie"
    text = pdf_text(receipt_pdf(donation.receipt))
    assert "Prélèvement" in text and "Carte bancaire" not in text


def test_a_one_off_debit_the_bank_refuses_is_pending_then_failed_and_never_receipted(
    client, stripe_standin
):
    give(client)
    answer = pay_by_debit(client, stripe_standin, FAILING_IBAN)

    # Sent to the bank: the page goes on to the thanks, which say when it should show.
    assert answer.json() == {"redirect": reverse("donations:thanks")}
    donation = Donation.objects.get()
    assert donation.status == Donation.Status.PROCESSING and donation.receipt is None
    assert not Receipt.objects.exists()
    thanks = client.get(reverse("donations:thanks")).content.decode()
    assert "transmis à votre banque" in thanks and "reçu fiscal" in thanks
    (told,) = OutboxEmail.objects.filter(subject="Votre prélèvement est en route")
    assert "devrait apparaître sur votre relevé bancaire vers le" in told.body
    assert donation.mandate.reference in told.body

    payload, signature = stripe_standin.inbox.wait_for(
        "payment_intent.payment_failed", donation.payment_intent_id
    )
    assert post_event(payload, signature).status_code == 200
    donation.refresh_from_db()
    assert donation.status == Donation.Status.FAILED and donation.receipt is None
    assert not Receipt.objects.exists()


def test_a_monthly_debit_waits_for_the_bank_then_is_receipted_once(
    client, stripe_standin, association
):
    association.monthly_receipts = Association.MonthlyReceipts.PER_PAYMENT
    association.save()
    give(client, frequency="monthly", amount="20")
    # The IBAN whose debit the stand-in leaves processing (then fails: not waited for here).
    assert pay_by_debit(client, stripe_standin, FAILING_IBAN).json() == {
        "redirect": reverse("donations:thanks")
    }

    gift = MonthlyGift.objects.get()
    assert gift.status == MonthlyGift.Status.ACTIVE and gift.method == Donation.Method.DIRECT_DEBIT
    assert gift.payment_label == "DE•• •••• •••• 3001"
    first = Donation.objects.get()
    assert first.status == Donation.Status.PROCESSING and first.invoice_id
    assert first.mandate == gift.mandate and first.receipt is None
    assert "transmis à votre banque" in client.get(reverse("donations:thanks")).content.decode()

    # Days later, the bank pays it (as Stripe says with invoice.paid): now it is a gift.
    sign_paid_invoice(first.invoice_id, gift.stripe_subscription_id, first.created_at, cents=2000)
    sign_paid_invoice(first.invoice_id, gift.stripe_subscription_id, first.created_at, cents=2000)
    first.refresh_from_db()
    assert first.status == Donation.Status.PAID and first.amount == Decimal("20.00")
    assert Donation.objects.count() == 1 and Receipt.objects.count() == 1
    assert first.receipt.kind == Receipt.Kind.MONTHLY
    assert "Prélèvement" in pdf_text(receipt_pdf(first.receipt))


def test_the_bank_may_answer_before_the_page_records_the_debit(client, stripe_standin):
    from donations.services import monthly
    from payments.outcomes import Subscribed

    give(client, frequency="monthly", amount="20")
    pay_by_debit(client, stripe_standin, FAILING_IBAN)
    gift = MonthlyGift.objects.get()
    pending = Donation.objects.get()
    sign_paid_invoice(pending.invoice_id, gift.stripe_subscription_id, pending.created_at, 2000)
    # The page's answer, late or replayed: nothing more is recorded, the paid month stays paid.
    monthly.record_first_debit(
        gift,
        Subscribed(
            subscription_id=gift.stripe_subscription_id,
            pending_invoice_id=pending.invoice_id,
            pending_payment_id=pending.payment_intent_id,
        ),
    )
    assert Donation.objects.get().status == Donation.Status.PAID
    assert OutboxEmail.objects.filter(subject="Votre prélèvement est en route").count() == 1


def test_the_payer_can_only_choose_a_method_the_page_offers(client, stripe_standin):
    give(client)
    refused = client.post(reverse("donations:card-setup"), {"method": "paypal"})
    assert refused.status_code == 400
    assert refused.json()["error"] == "Veuillez choisir un moyen de paiement."
    # The shop's checkout takes cards only.
    assert (
        "Prélèvement SEPA" not in client.get(reverse("checkout:payment-details")).content.decode()
    )


def test_a_card_token_cannot_pay_a_debit(client, stripe_standin):
    give(client)
    setup = client.post(reverse("donations:card-setup"), {"method": "sepa_debit"}).json()
    token = stripe_standin.create_token("4242424242424242")
    answer = client.post(reverse("donations:card-pay"), {"token": token["id"]})
    # The debit was never set up with a mandate: nothing is charged.
    assert answer.status_code == 400 and setup["card_token"] is False
    assert Donation.objects.get().status == Donation.Status.PENDING
    assert not Receipt.objects.exists()


def test_a_refused_month_paid_on_a_retry_is_receipted_with_the_method_now(
    association, stripe_standin
):
    """Stripe retries a refused month with the customer's default method: after the donor
    switched to a debit, the month paid is a debit (its receipt says so)."""
    from donations.models import Mandate
    from tests.support.donations import make_donor, monthly_gift

    association.monthly_receipts = Association.MonthlyReceipts.PER_PAYMENT
    association.save()
    gift = monthly_gift(make_donor(), "15.00")
    gift.stripe_subscription_id = "sub_retried"
    gift.failed_payments = 1
    gift.save()
    refused = Donation.objects.create(
        donor=gift.donor,
        monthly_gift=gift,
        amount=Decimal("15.00"),
        status=Donation.Status.FAILED,
        method=Donation.Method.CARD,
        invoice_id="in_refused_month",
    )
    gift.method = Donation.Method.DIRECT_DEBIT
    gift.mandate = Mandate.objects.create(
        donor=gift.donor,
        reference="RUM-NEW",
        signed_at=refused.created_at,
        account_label="FR•• •••• •••• 2606",
        stripe_payment_method_id="pm_new_account",
    )
    gift.save()

    sign_paid_invoice("in_refused_month", "sub_retried", refused.created_at, cents=1500)

    refused.refresh_from_db()
    assert refused.status == Donation.Status.PAID
    assert (refused.method, refused.mandate) == (Donation.Method.DIRECT_DEBIT, gift.mandate)
    assert "Prélèvement" in pdf_text(receipt_pdf(refused.receipt))
    gift.refresh_from_db()
    assert gift.failed_payments == 0 and gift.recovered_at is not None
