"""A monthly gift's donor enters a new card or bank account from the signed link, without
stopping the gift: one gift, one subscription, one receipt series; a lapsed gift recovers.
Through HTTP with the real SDK against the stand-in (abuse cases: the _abuse module)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from donations import links
from donations.models import Association, Donation, Mandate, MonthlyGift
from donations.services.receipts import receipt_pdf
from payments import gateway
from tests.project.test_french_pages import english_in
from tests.support.checkout import DECLINED_AT_CHARGE, THREE_D_SECURE
from tests.support.donations import FAILING_IBAN, paid_invoice, pdf_text, post_event, spaced
from tests.support.payment_method import (
    change_method,
    customer_default,
    monthly_gift_paid_by,
    refused_month,
    token_of,
    urls,
)

pytestmark = pytest.mark.usefixtures("association", "outbox_emails")


@pytest.fixture(autouse=True)
def receipt_per_payment(association):
    Association.objects.update(monthly_receipts=Association.MonthlyReceipts.PER_PAYMENT)


def back_on_gift_page(response, gift: MonthlyGift) -> None:
    """The pay step sends the donor to the gift's own page, under its signed token."""
    redirect = response.json()["redirect"]
    token = redirect.removeprefix("/don/mensuel/").removesuffix("/")
    assert redirect == urls(token)["gift"] and links.monthly_gift_of(token) == gift


def shown_next(client, gift: MonthlyGift) -> str:
    """The gift's own page, where the pay step sends the donor, with the message it left."""
    return spaced(client.get(urls(token_of(gift))["gift"]).content.decode())


def next_month(gift: MonthlyGift, invoice_id: str) -> Donation:
    """Stripe's invoice.paid for the gift's next month (signed; the stand-in has no renewals)."""
    paid_invoice(invoice_id, gift.stripe_subscription_id, timezone.now())
    return Donation.objects.select_related("receipt", "mandate").get(invoice_id=invoice_id)


def test_the_page_shows_the_gift_and_the_payment_form(client, stripe_standin):
    gift = monthly_gift_paid_by(client, stripe_standin, method="sepa_debit")
    page = spaced(client.get(urls(token_of(gift))["page"]).content.decode())

    assert "10,00 € chaque mois" in page
    assert "FR•• •••• •••• 2606" in page and gift.mandate.reference in page
    assert "Prélèvement SEPA" in page and "Carte bancaire" in page
    assert "vous autorisez (A)" in page  # the mandate text, before the donor confirms
    assert 'data-setup-url="/don/mensuel/' in page


def test_card_to_sepa_keeps_one_gift_and_the_next_month_is_debited(client, stripe_standin):
    gift = monthly_gift_paid_by(client, stripe_standin, method="card")
    first = Donation.objects.get()
    assert gift.method == Donation.Method.CARD and gift.payment_label == "Visa •••• 4242"

    response = change_method(client, stripe_standin, gift, method="sepa_debit")

    back_on_gift_page(response, gift)
    changed = MonthlyGift.objects.select_related("mandate").get()
    assert changed.pk == gift.pk
    assert changed.stripe_subscription_id == gift.stripe_subscription_id
    assert (changed.amount, changed.status) == (Decimal("10.00"), MonthlyGift.Status.ACTIVE)
    assert changed.method == Donation.Method.DIRECT_DEBIT
    assert changed.payment_label == "FR•• •••• •••• 2606"
    assert changed.mandate.account_holder == "Marie Curie"
    # Stripe charges the new account from now on: same subscription, same plan.
    assert customer_default(gift.stripe_subscription_id) == changed.mandate.stripe_payment_method_id
    subscription = gateway.client().v1.subscriptions.retrieve(gift.stripe_subscription_id)
    assert subscription.status == "active" and subscription.plan.amount == 1000
    page = shown_next(client, gift)
    assert "Vos nouvelles coordonnées bancaires seront utilisées pour le prochain" in page

    second = next_month(gift, "in_after_switch")

    assert Donation.objects.count() == 2 and second.monthly_gift == gift
    assert second.method == Donation.Method.DIRECT_DEBIT and second.mandate == changed.mandate
    assert "prélèvement" in pdf_text(receipt_pdf(second.receipt)).lower()
    first.refresh_from_db()
    assert first.method == Donation.Method.CARD and first.mandate is None
    assert first.receipt.number != second.receipt.number  # one series, two receipts


def test_sepa_to_card_keeps_the_old_mandate_for_the_months_debited_under_it(client, stripe_standin):
    gift = monthly_gift_paid_by(client, stripe_standin, method="sepa_debit")
    old_mandate = gift.mandate
    first = Donation.objects.get()
    assert first.mandate == old_mandate

    # The first month was debited (the stand-in pays a good IBAN at once): not charged again.
    response = change_method(client, stripe_standin, gift, method="card")

    back_on_gift_page(response, gift)
    changed = MonthlyGift.objects.get()
    assert changed.stripe_subscription_id == gift.stripe_subscription_id
    assert changed.method == Donation.Method.CARD and changed.mandate is None
    assert changed.payment_label == "Visa •••• 4242"
    assert Mandate.objects.get() == old_mandate
    page = shown_next(client, gift)
    assert "Votre nouvelle carte sera utilisée pour le prochain paiement" in page
    intents = gateway.client().v1.payment_intents.list(params={"limit": 10}).data
    assert len(intents) == 1  # the first month's debit only

    second = next_month(gift, "in_after_switch")

    assert second.method == Donation.Method.CARD and second.mandate is None
    assert "carte" in pdf_text(receipt_pdf(second.receipt)).lower()
    first.refresh_from_db()
    assert first.mandate == old_mandate


def test_a_new_iban_is_a_new_mandate(client, stripe_standin):
    gift = monthly_gift_paid_by(client, stripe_standin, method="sepa_debit")

    change_method(
        client, stripe_standin, gift, method="sepa_debit", iban="FR7630006000011234567890189"
    )

    changed = MonthlyGift.objects.get()
    assert changed.mandate != gift.mandate and Mandate.objects.count() == 2
    assert changed.payment_label == "FR•• •••• •••• 0189"
    assert Donation.objects.get().mandate == gift.mandate


def test_a_lapsed_gift_recovers_when_the_new_card_pays_the_refused_month(client, stripe_standin):
    gift = monthly_gift_paid_by(client, stripe_standin, method="card")
    invoice_id = refused_month(stripe_standin, gift)
    MonthlyGift.objects.filter(pk=gift.pk).update(failed_payments=2, lapsed_at=timezone.now())
    page = client.get(urls(token_of(gift))["page"]).content.decode()
    assert "Votre dernier paiement a été refusé" in page

    response = change_method(client, stripe_standin, gift, method="card")

    back_on_gift_page(response, gift)
    recovered = MonthlyGift.objects.get()
    assert recovered.failed_payments == 0 and recovered.recovered_at is not None
    assert recovered.status == MonthlyGift.Status.ACTIVE
    invoice = gateway.client().v1.invoices.retrieve(invoice_id)
    assert invoice.status == "paid"
    month = Donation.objects.get(invoice_id=invoice_id)
    assert month.status == Donation.Status.PAID and month.receipt is not None
    assert Donation.objects.count() == 2
    page = shown_next(client, gift)
    assert "Le mois refusé a été payé : merci" in page

    # Stripe's own event for that month, later: recorded once.
    payload, signature = stripe_standin.inbox.wait_for("invoice.payment_succeeded", invoice_id)
    assert post_event(payload, signature).status_code == 200
    assert Donation.objects.filter(invoice_id=invoice_id).count() == 1


def test_a_new_card_refused_for_the_refused_month_changes_nothing(client, stripe_standin):
    gift = monthly_gift_paid_by(client, stripe_standin, method="card")
    invoice_id = refused_month(stripe_standin, gift)
    before = customer_default(gift.stripe_subscription_id)
    MonthlyGift.objects.filter(pk=gift.pk).update(failed_payments=1, lapsed_at=timezone.now())

    response = change_method(client, stripe_standin, gift, number=DECLINED_AT_CHARGE)

    assert response.status_code == 402
    assert "Aucun montant n'a été débité" in response.json()["error"]
    unchanged = MonthlyGift.objects.get()
    assert (unchanged.payment_label, unchanged.failed_payments) == ("Visa •••• 4242", 1)
    assert customer_default(gift.stripe_subscription_id) == before
    assert gateway.client().v1.invoices.retrieve(invoice_id).status == "open"
    assert not Donation.objects.filter(invoice_id=invoice_id).exists()


def test_a_lapsed_gift_switched_to_sepa_pays_the_refused_month_by_debit(client, stripe_standin):
    gift = monthly_gift_paid_by(client, stripe_standin, method="card")
    invoice_id = refused_month(stripe_standin, gift)
    MonthlyGift.objects.filter(pk=gift.pk).update(failed_payments=1, lapsed_at=timezone.now())

    response = change_method(client, stripe_standin, gift, method="sepa_debit")

    back_on_gift_page(response, gift)
    # The stand-in reports a good IBAN's debit paid at once (Stripe: days later, by
    # invoice.paid); recorded once, whichever tells first, under the new mandate.
    payload, signature = stripe_standin.inbox.wait_for("invoice.payment_succeeded", invoice_id)
    assert post_event(payload, signature).status_code == 200
    month = Donation.objects.get(invoice_id=invoice_id)
    recovered = MonthlyGift.objects.get()
    assert month.method == Donation.Method.DIRECT_DEBIT and month.mandate == recovered.mandate
    assert month.receipt is not None
    assert recovered.failed_payments == 0 and recovered.recovered_at is not None


def test_a_failing_iban_is_taken_as_a_mandate_and_its_debit_then_fails(client, stripe_standin):
    gift = monthly_gift_paid_by(client, stripe_standin, method="card")
    invoice_id = refused_month(stripe_standin, gift)
    MonthlyGift.objects.filter(pk=gift.pk).update(failed_payments=1, lapsed_at=timezone.now())

    response = change_method(client, stripe_standin, gift, method="sepa_debit", iban=FAILING_IBAN)

    # Sent to the bank: the mandate is the gift's, the month is not money yet.
    back_on_gift_page(response, gift)
    assert "Le prélèvement du mois refusé a été transmis à votre banque" in shown_next(client, gift)
    changed = MonthlyGift.objects.get()
    assert changed.method == Donation.Method.DIRECT_DEBIT
    assert changed.payment_label == "DE•• •••• •••• 3001"
    assert not Donation.objects.filter(invoice_id=invoice_id, status="paid").exists()
    # The bank refuses it ~0.5 s later: Stripe's invoice.payment_failed (the refused
    # payments' handlers take it from there).
    stripe_standin.inbox.wait_for("invoice.payment_failed", invoice_id)
    assert gateway.client().v1.invoices.retrieve(invoice_id).status == "open"


def test_a_refused_month_paid_with_a_new_card_that_asks_for_3d_secure(client, stripe_standin):
    gift = monthly_gift_paid_by(client, stripe_standin, method="card")
    invoice_id = refused_month(stripe_standin, gift)
    MonthlyGift.objects.filter(pk=gift.pk).update(failed_payments=1, lapsed_at=timezone.now())
    ours = urls(token_of(gift))

    answer = change_method(client, stripe_standin, gift, number=THREE_D_SECURE).json()

    assert answer["requires_action"] is True
    # The card is the gift's (set up and authenticated in the page); the month awaits 3-D Secure.
    assert MonthlyGift.objects.get().payment_label == "Visa •••• 3155"
    stripe_standin.confirm_card_payment(answer["client_secret"])
    response = client.post(ours["complete"])

    back_on_gift_page(response, gift)
    month = Donation.objects.get(invoice_id=invoice_id)
    assert month.status == Donation.Status.PAID and month.receipt is not None
    assert MonthlyGift.objects.get().failed_payments == 0
    assert "Le mois refusé a été payé : merci" in shown_next(client, gift)
    # Done: the third step again does nothing more.
    assert client.post(ours["complete"]).json() == {"redirect": ours["gift"]}
    assert Donation.objects.filter(invoice_id=invoice_id).count() == 1


def test_the_pages_and_messages_are_french(client, stripe_standin):
    gift = monthly_gift_paid_by(client, stripe_standin, method="card")
    MonthlyGift.objects.filter(pk=gift.pk).update(failed_payments=1, lapsed_at=timezone.now())
    ours = urls(token_of(gift))
    findings = english_in("lapsed", client.get(ours["page"]).content.decode())

    change_method(client, stripe_standin, gift, method="sepa_debit")
    page = client.get(ours["page"]).content.decode()
    assert "Vos nouvelles coordonnées bancaires" in page  # the message, on a SEPA gift's page
    findings += english_in("changed", page)
    MonthlyGift.objects.filter(pk=gift.pk).update(status=MonthlyGift.Status.STOPPED)
    findings += english_in("stopped", client.get(ours["page"]).content.decode())

    assert not findings, "\n".join(findings)


def test_the_refused_month_paid_by_the_new_method_is_receipted_as_paid_with_it(
    client, stripe_standin
):
    gift = monthly_gift_paid_by(client, stripe_standin, method="card")
    invoice_id = refused_month(stripe_standin, gift)
    MonthlyGift.objects.filter(pk=gift.pk).update(failed_payments=1, lapsed_at=timezone.now())
    # The refused month as the refused payments' handler keeps it: a failed card payment.
    refused = Donation.objects.create(
        donor=gift.donor,
        monthly_gift=gift,
        amount=gift.amount,
        status=Donation.Status.FAILED,
        method=Donation.Method.CARD,
        invoice_id=invoice_id,
    )

    change_method(client, stripe_standin, gift, method="sepa_debit")

    refused.refresh_from_db()
    assert refused.status == Donation.Status.PAID
    assert refused.method == Donation.Method.DIRECT_DEBIT
    assert refused.mandate == MonthlyGift.objects.get().mandate
    assert "prélèvement" in pdf_text(receipt_pdf(refused.receipt)).lower()
