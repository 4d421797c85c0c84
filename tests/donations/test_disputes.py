"""A gift's payment taken back by the bank (charge.dispute.*): the real stand-in for the
payment, the dispute events built as Stripe documents them and signed (the stand-in never
sends them)."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from donations.models import Association, Dispute, Donation, MonthlyGift, Receipt, TreasuryLog
from donations.services import disputes as dispute_service
from donations.services.annual import issue_annual_receipts
from kiosque.access import TREASURER_GROUP
from kiosque.models import OutboxEmail
from payments import gateway
from tests.support import stripe_standin as standin_helpers
from tests.support.concurrency import concurrent, run_together
from tests.support.disputes import charge_of_payment, dispute_object, post_dispute
from tests.support.donations import (
    attachments,
    give,
    paid_invoice,
    pay,
    pay_by_debit,
    post_event,
)

pytestmark = pytest.mark.usefixtures("association", "outbox_emails")


@pytest.fixture
def treasurer(django_user_model):
    user = django_user_model.objects.create_user(
        "claire", "claire@example.org", "x-long-password", is_staff=True, first_name="Claire"
    )
    user.groups.add(Group.objects.get(name=TREASURER_GROUP))
    return user


@pytest.fixture
def receipted_gift(client, stripe_standin) -> Donation:
    """A one-off gift of 50 € paid by card, receipted."""
    give(client)
    pay(client, stripe_standin)
    donation = Donation.objects.get()
    assert donation.status == Donation.Status.PAID and donation.receipt is not None
    return donation


def disputed(donation: Donation, dispute_id="dp_gift", **changes) -> dict:
    fields = {
        "charge": charge_of_payment(donation.payment_intent_id),
        "payment_intent": donation.payment_intent_id,
        "cents": int(donation.amount * 100),
        "reason": "fraudulent",
    }
    return dispute_object(dispute_id, **(fields | changes))


def state() -> tuple:
    """Everything a dispute may change, to compare after replays."""
    return (
        list(Donation.objects.order_by("pk").values_list("status", "receipt_id")),
        list(Receipt.objects.order_by("pk").values_list("number", "status")),
        list(Dispute.objects.values_list("stripe_dispute_id", "status", "donation_id")),
        TreasuryLog.objects.count(),
        OutboxEmail.objects.count(),
    )


def emails_to(address: str):
    return list(OutboxEmail.objects.filter(to__icontains=address).order_by("pk"))


def test_a_dispute_cancels_the_receipt_and_tells_donor_and_treasurer(
    client, receipted_gift, treasurer, django_user_model
):
    receipt = receipted_gift.receipt
    gone = django_user_model.objects.create_user("gone", "gone@example.org", is_active=False)
    gone.groups.add(Group.objects.get(name=TREASURER_GROUP))
    django_user_model.objects.create_user("editor", "editor@example.org", is_staff=True)
    OutboxEmail.objects.all().delete()

    assert post_dispute("charge.dispute.created", disputed(receipted_gift)).status_code == 200

    receipted_gift.refresh_from_db()
    receipt.refresh_from_db()
    assert receipted_gift.status == Donation.Status.DISPUTED
    assert receipted_gift.receipt is None
    assert receipt.is_cancelled and "repris par la banque" in receipt.cancellation_reason
    assert Receipt.objects.count() == 1  # nothing left to receipt
    (told,) = emails_to("marie@example.org")
    assert receipt.number in told.subject and "annulé" in told.subject
    (alert,) = emails_to("claire@example.org")
    assert "banque" in alert.subject and "50,00" in alert.body and receipt.number in alert.body
    assert not emails_to("gone@example.org") and not emails_to("editor@example.org")
    entry = TreasuryLog.objects.get(action=TreasuryLog.Action.DISPUTE)
    assert entry.user is None and "dp_gift" in entry.details and receipt.number in entry.details

    # The treasurer reads it in French: the gift's status and the log.
    client.force_login(treasurer)
    donor_page = client.get(
        reverse("donations-dashboard:donor", kwargs={"pk": receipted_gift.donor_id})
    )
    assert "contesté par la banque" in donor_page.content.decode()
    log = client.get(reverse("donations-dashboard:log")).content.decode()
    assert "paiement repris par la banque" in log and "Stripe (automatique)" in log


def test_a_replayed_dispute_changes_nothing(receipted_gift, treasurer):
    dispute = disputed(receipted_gift)
    assert post_dispute("charge.dispute.created", dispute, "evt_dispute").status_code == 200
    after = state()

    assert post_dispute("charge.dispute.created", dispute, "evt_dispute").status_code == 200
    # Stripe may send the same dispute under another event (a retry after our 500, a resend).
    assert post_dispute("charge.dispute.created", dispute, "evt_dispute_again").status_code == 200

    assert state() == after


def test_a_dispute_naming_only_the_charge_finds_the_gift(receipted_gift):
    """Older API versions leave the dispute's payment_intent null: the charge tells it."""
    dispute = disputed(receipted_gift, payment_intent=None)
    assert post_dispute("charge.dispute.created", dispute).status_code == 200
    receipted_gift.refresh_from_db()
    assert receipted_gift.status == Donation.Status.DISPUTED


def test_a_dispute_won_gives_the_gift_a_new_receipt(receipted_gift, treasurer):
    first = receipted_gift.receipt
    assert post_dispute("charge.dispute.created", disputed(receipted_gift)).status_code == 200
    OutboxEmail.objects.all().delete()

    won = disputed(receipted_gift, status="won")
    assert post_dispute("charge.dispute.closed", won, "evt_won").status_code == 200

    receipted_gift.refresh_from_db()
    first.refresh_from_db()
    assert receipted_gift.status == Donation.Status.PAID
    new = receipted_gift.receipt
    assert new is not None and new.number != first.number and not new.is_cancelled
    assert new.amount == Decimal("50.00")
    assert first.is_cancelled  # stays cancelled
    (told,) = emails_to("marie@example.org")
    assert list(attachments(told)) == [f"recu-fiscal-{new.number}.pdf"]
    assert emails_to("claire@example.org")
    closed = TreasuryLog.objects.get(action=TreasuryLog.Action.DISPUTE_CLOSED)
    assert "gagnée" in closed.details and new.number in closed.details
    after = state()

    assert post_dispute("charge.dispute.closed", won, "evt_won_again").status_code == 200
    assert post_dispute("charge.dispute.created", disputed(receipted_gift)).status_code == 200
    assert state() == after


def test_a_dispute_lost_leaves_the_gift_taken_back(receipted_gift):
    assert post_dispute("charge.dispute.created", disputed(receipted_gift)).status_code == 200
    lost = disputed(receipted_gift, status="lost")
    assert post_dispute("charge.dispute.closed", lost).status_code == 200

    receipted_gift.refresh_from_db()
    assert receipted_gift.status == Donation.Status.DISPUTED and receipted_gift.receipt is None
    assert Receipt.objects.filter(status=Receipt.Status.ISSUED).count() == 0
    closed = TreasuryLog.objects.get(action=TreasuryLog.Action.DISPUTE_CLOSED)
    assert "perdue" in closed.details


def test_closed_before_created_ends_as_in_order(receipted_gift):
    """Stripe does not promise the order of its events."""
    won = disputed(receipted_gift, status="won")
    assert post_dispute("charge.dispute.closed", won).status_code == 200
    assert post_dispute("charge.dispute.created", disputed(receipted_gift)).status_code == 200

    receipted_gift.refresh_from_db()
    assert receipted_gift.status == Donation.Status.PAID
    assert receipted_gift.receipt is not None and not receipted_gift.receipt.is_cancelled
    assert Receipt.objects.filter(status=Receipt.Status.CANCELLED).count() == 1
    assert Dispute.objects.get().status == Dispute.Status.WON


def paid_behind_the_page(donation: Donation):
    """The gift's payment made at the stand-in, the page never telling it (closed tab)."""
    customer = gateway.client().v1.customers.create(params={"email": "marie@example.org"})
    intent = gateway.client().v1.payment_intents.create(
        params={
            "amount": 5000,
            "currency": "eur",
            "customer": customer.id,
            "payment_method": "pm_card_visa",
            "confirm": True,
            "metadata": {"purpose": "kiosque_donation", "donation": str(donation.pk)},
        }
    )
    assert intent.status == "succeeded"
    return intent


def test_a_dispute_told_before_the_payment_leaves_the_gift_without_receipt(client, stripe_standin):
    """The page never told the payment (closed tab), its webhook comes after the dispute."""
    give(client)
    donation = Donation.objects.get()
    intent = paid_behind_the_page(donation)
    dispute = dispute_object(
        "dp_early", charge=charge_of_payment(intent.id), payment_intent=intent.id, cents=5000
    )

    assert post_dispute("charge.dispute.created", dispute).status_code == 200
    payload, signature = stripe_standin.inbox.wait_for("payment_intent.succeeded", intent.id)
    assert post_event(payload, signature).status_code == 200

    donation.refresh_from_db()
    assert donation.status == Donation.Status.DISPUTED
    assert donation.payment_intent_id == intent.id and donation.paid_at is not None
    assert Receipt.objects.count() == 0
    assert not OutboxEmail.objects.filter(subject__icontains="merci").exists()


def test_a_dispute_won_before_the_payment_is_told_lets_the_payment_receipt_it(
    client, stripe_standin
):
    give(client)
    donation = Donation.objects.get()
    intent = paid_behind_the_page(donation)
    fields = {"charge": charge_of_payment(intent.id), "payment_intent": intent.id, "cents": 5000}
    assert (
        post_dispute("charge.dispute.created", dispute_object("dp_1", **fields)).status_code == 200
    )
    won = dispute_object("dp_1", status="won", **fields)
    assert post_dispute("charge.dispute.closed", won).status_code == 200
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PENDING and Receipt.objects.count() == 0

    payload, signature = stripe_standin.inbox.wait_for("payment_intent.succeeded", intent.id)
    assert post_event(payload, signature).status_code == 200

    donation.refresh_from_db()
    assert donation.status == Donation.Status.PAID and donation.receipt is not None


def test_a_month_reversed_inside_an_annual_summary_gets_a_corrected_summary(
    client, stripe_standin, treasurer
):
    Association.objects.update(monthly_receipts=Association.MonthlyReceipts.ANNUAL)
    give(client, amount="other", other="10", frequency="monthly")
    pay(client, stripe_standin)
    gift = MonthlyGift.objects.get()
    first = Donation.objects.get()
    paid_invoice("in_second", gift.stripe_subscription_id, timezone.now())
    year = timezone.localdate(first.paid_at).year
    assert issue_annual_receipts(year).count == 1
    summary = Receipt.objects.get()
    assert summary.amount == Decimal("20.00") and summary.kind == Receipt.Kind.ANNUAL

    reversal = disputed(first, "dp_month", reason="debit_not_authorized")
    assert post_dispute("charge.dispute.created", reversal).status_code == 200

    first.refresh_from_db()
    summary.refresh_from_db()
    assert first.status == Donation.Status.DISPUTED and first.receipt is None
    assert summary.is_cancelled
    corrected = Receipt.objects.get(replaces=summary)
    assert corrected.kind == Receipt.Kind.ANNUAL and corrected.amount == Decimal("10.00")
    assert Donation.objects.get(invoice_id="in_second").receipt == corrected
    told = emails_to("marie@example.org")[-1]
    assert list(attachments(told)) == [f"recu-fiscal-{corrected.number}.pdf"]
    assert TreasuryLog.objects.filter(action=TreasuryLog.Action.DISPUTE).count() == 1

    # Won: the month is receipted again on its own (the corrected summary does not cover it).
    won = disputed(first, "dp_month", status="won")
    assert post_dispute("charge.dispute.closed", won).status_code == 200
    first.refresh_from_db()
    assert first.status == Donation.Status.PAID
    assert first.receipt.amount == Decimal("10.00") and first.receipt.kind == Receipt.Kind.MONTHLY
    corrected.refresh_from_db()
    assert not corrected.is_cancelled and corrected.amount == Decimal("10.00")


def test_a_forged_dispute_is_refused_and_changes_nothing(receipted_gift):
    before = state()
    response = post_dispute(
        "charge.dispute.created",
        disputed(receipted_gift),
        signature=standin_helpers.sign(b"something else"),
    )
    assert response.status_code == 400
    payload = standin_helpers.event("charge.dispute.created", disputed(receipted_gift))
    assert post_event(payload, standin_helpers.sign(payload, "whsec_wrong")).status_code == 400
    assert state() == before


def test_a_month_told_paid_after_its_reversal_gets_no_receipt(client, stripe_standin, treasurer):
    """Next month's debit is reversed before its invoice.paid comes (or is handled)."""
    give(client, amount="other", other="10", frequency="monthly")
    pay(client, stripe_standin)  # the first month: paid and receipted (one receipt a payment)
    gift = MonthlyGift.objects.get()
    customer = gateway.client().v1.customers.create(params={"email": "marie@example.org"})
    second = gateway.client().v1.payment_intents.create(
        params={"amount": 1000, "currency": "eur", "customer": customer.id,
                "payment_method": "pm_card_visa", "confirm": True}
    )  # fmt: skip
    reversal = dispute_object(
        "dp_second", charge=charge_of_payment(second.id), payment_intent=second.id, cents=1000
    )
    assert post_dispute("charge.dispute.created", reversal).status_code == 200
    assert Dispute.objects.get().donation is None  # nothing of ours paid by it yet
    receipts = Receipt.objects.count()

    # Its invoice told paid now (older API shape: the invoice names its PaymentIntent).
    invoice = {
        "id": "in_second", "object": "invoice", "status": "paid", "amount_paid": 1000,
        "currency": "eur", "subscription": gift.stripe_subscription_id,
        "payment_intent": second.id, "status_transitions": {"paid_at": 1790000000},
    }  # fmt: skip
    for event_id in ("evt_paid", "evt_paid", "evt_paid_again"):
        assert post_dispute("invoice.paid", invoice, event_id).status_code == 200

    month = Donation.objects.get(invoice_id="in_second")
    assert month.status == Donation.Status.DISPUTED and month.receipt is None
    assert Receipt.objects.count() == receipts
    assert Dispute.objects.get().donation == month
    assert TreasuryLog.objects.filter(action=TreasuryLog.Action.DISPUTE).count() == 1
    assert emails_to("claire@example.org")


@concurrent
@pytest.mark.django_db(transaction=True)
def test_a_dispute_opened_and_closed_at_the_same_time_ends_closed(stripe_standin, association):
    """Its two events delivered at once, for a payment no gift row locks yet: no 500."""
    customer = gateway.client().v1.customers.create(params={"email": "marie@example.org"})
    payment = gateway.client().v1.payment_intents.create(
        params={"amount": 1000, "currency": "eur", "customer": customer.id,
                "payment_method": "pm_card_visa", "confirm": True}
    )  # fmt: skip
    fields = {"charge": charge_of_payment(payment.id), "payment_intent": payment.id, "cents": 1000}
    opened = dispute_object("dp_both", **fields)
    lost = dispute_object("dp_both", status="lost", **fields)

    answers = run_together(
        lambda: post_dispute("charge.dispute.created", opened).status_code,
        lambda: post_dispute("charge.dispute.closed", lost).status_code,
    )

    assert answers == [200, 200]
    assert Dispute.objects.get().status == Dispute.Status.LOST


def test_a_sepa_debit_reversed_by_the_bank_cancels_its_receipt(client, stripe_standin, treasurer):
    """The donor's bank reverses the debit (8 weeks, no questions; 13 months if unauthorised):
    Stripe opens the dispute and closes it lost, there is no evidence to give."""
    give(client, amount="other", other="40")
    pay_by_debit(client, stripe_standin)
    donation = Donation.objects.get()
    assert donation.method == Donation.Method.DIRECT_DEBIT and donation.receipt is not None
    receipt = donation.receipt

    reversal = disputed(donation, "dp_sepa", reason="debit_not_authorized")
    assert post_dispute("charge.dispute.created", reversal).status_code == 200
    lost = disputed(donation, "dp_sepa", reason="debit_not_authorized", status="lost")
    assert post_dispute("charge.dispute.closed", lost).status_code == 200

    donation.refresh_from_db()
    receipt.refresh_from_db()
    assert donation.status == Donation.Status.DISPUTED and receipt.is_cancelled
    assert "40,00" in receipt.cancellation_reason
    entries = TreasuryLog.objects.filter(user=None).values_list("action", "details")
    assert any("prélèvement non autorisé" in details for _, details in entries)
    assert TreasuryLog.Action.DISPUTE_CLOSED in {action for action, _ in entries}


def test_a_month_disputed_stops_its_monthly_gift_and_says_so(
    client, stripe_standin, treasurer, monkeypatch
):
    """An unauthorised debit: the account holder does not want the gift; debiting it again
    would be refused or reversed again."""
    told = []
    tell = dispute_service.tell_treasurer
    monkeypatch.setattr(
        dispute_service,
        "tell_treasurer",
        lambda template, context: told.append(context) or tell(template, context),
    )
    give(client, amount="other", other="10", frequency="monthly")
    pay(client, stripe_standin)
    gift = MonthlyGift.objects.get()
    month = Donation.objects.get()
    assert month.payment_intent_id and gift.status == MonthlyGift.Status.ACTIVE
    OutboxEmail.objects.all().delete()

    reversal = disputed(month, "dp_month", reason="unrecognized")
    assert post_dispute("charge.dispute.created", reversal).status_code == 200

    gift.refresh_from_db()
    assert gift.status == MonthlyGift.Status.STOPPED and gift.stopped_at is not None
    assert gift.error_code == "payment_disputed"
    subscription = gateway.client().v1.subscriptions.retrieve(gift.stripe_subscription_id)
    assert subscription.status == "canceled"
    assert len(emails_to("claire@example.org")) == 1  # the dispute's
    # What its email says of the gift (the templates print ``gift_stopped``).
    assert "don mensuel dont c'était une mensualité est arrêté" in told[0]["gift_stopped"]
    entry = TreasuryLog.objects.get(action=TreasuryLog.Action.DISPUTE)
    assert "10 €" in entry.details and "don mensuel arrêté" in entry.details

    # Replayed, then closed: stopped once, nothing more.
    before = state()
    assert post_dispute("charge.dispute.created", reversal).status_code == 200
    assert state() == before
    lost = disputed(month, "dp_month", reason="unrecognized", status="lost")
    assert post_dispute("charge.dispute.closed", lost).status_code == 200
    gift.refresh_from_db()
    assert gift.status == MonthlyGift.Status.STOPPED


def test_a_dispute_on_a_one_off_gift_never_paid_changes_nothing(receipted_gift, treasurer):
    """Forged or mistaken: a gift refused at the payment page was never paid."""
    Donation.objects.filter(pk=receipted_gift.pk).update(
        status=Donation.Status.FAILED, error_code="card_declined", receipt=None
    )
    OutboxEmail.objects.all().delete()
    before = state()

    assert post_dispute("charge.dispute.created", disputed(receipted_gift)).status_code == 200

    assert state() == before
    assert not Dispute.objects.exists()
