"""A monthly gift by SEPA debit receives its month's events in any order, each twice: the
refused first try (``invoice.payment_failed``), the paid retry (``invoice.paid``) and the
donor's bank reversing the debit (``charge.dispute.created``). Whatever the order, the end
is the same: the month taken back, no receipt in force, the gift still running."""

import itertools
from decimal import Decimal

import pytest

from donations.models import Association, Donation, MonthlyGift, Receipt
from donations.services.monthly import MONTHLY_PURPOSE, start_monthly_gift
from payments import facade, gateway, methods, subscriptions
from tests.support import stripe_standin as standin_helpers
from tests.support.disputes import dispute_object
from tests.support.donations import GOOD_IBAN, make_donor, post_event

pytestmark = pytest.mark.usefixtures("association", "outbox_emails")


def month_at_stripe(standin, gift: MonthlyGift) -> dict:
    """The gift's subscription made at the stand-in (debit mandate, first month paid there),
    without telling the site: its events are then delivered by the test, in its order."""
    setup = facade.start_setup(email=gift.donor.email, method=methods.SEPA_DEBIT)
    standin.confirm_sepa_setup(setup.client_secret, GOOD_IBAN)
    subscribed = subscriptions.subscribe(
        setup_id=setup.setup_id,
        amount=gift.amount,
        metadata={"purpose": MONTHLY_PURPOSE, "monthly_gift": str(gift.pk)},
        idempotency_key=f"orders-{gift.pk}",
    )
    invoice = gateway.client().v1.invoices.retrieve(subscribed.first_invoice.invoice_id)
    intent = gateway.client().v1.payment_intents.retrieve(subscribed.first_invoice.payment_id)
    return {
        "invoice": invoice.to_dict(),
        "payment_id": intent.id,
        "charge_id": gateway.object_id(intent.latest_charge),
    }


def events_of(month: dict, cents: int) -> dict[str, bytes]:
    invoice = month["invoice"]
    refused = {**invoice, "status": "open", "paid": False, "amount_paid": 0}
    dispute = dispute_object(
        f"dp_{invoice['id']}",
        charge=month["charge_id"],
        payment_intent=month["payment_id"],
        cents=cents,
    )
    return {
        "refused": standin_helpers.event("invoice.payment_failed", refused),
        "paid": standin_helpers.event("invoice.paid", invoice),
        "reversed": standin_helpers.event("charge.dispute.created", dispute),
    }


def end_state(gift: MonthlyGift) -> tuple:
    gift.refresh_from_db()
    months = tuple(
        (donation.status, donation.amount, donation.receipt_id is not None)
        for donation in Donation.objects.filter(monthly_gift=gift)
    )
    in_force = Receipt.objects.filter(donor=gift.donor, status=Receipt.Status.ISSUED).count()
    return (gift.status, gift.failed_payments, months, in_force)


def test_every_order_of_a_months_events_ends_the_same(stripe_standin, association):
    association.monthly_receipts = Association.MonthlyReceipts.PER_PAYMENT
    association.save()
    ends = {}
    for index, order in enumerate(itertools.permutations(("refused", "paid", "reversed"))):
        donor = make_donor(email=f"ordre{index}@example.org")
        gift = start_monthly_gift(donor=donor, amount=Decimal("12.00"), language="fr")
        delivered = events_of(month_at_stripe(stripe_standin, gift), cents=1200)
        for name in order:
            payload = delivered[name]
            for _replay in range(2):
                response = post_event(payload, standin_helpers.sign(payload))
                assert response.status_code == 200, (order, name, response.content)
        ends[order] = end_state(gift)

    assert len(set(ends.values())) == 1, ends
    status, failed, months, in_force = next(iter(ends.values()))
    # A month taken back by the bank stops the gift, in whatever order it is told.
    assert status == MonthlyGift.Status.STOPPED and failed == 0
    assert months == ((Donation.Status.DISPUTED, Decimal("12.00"), False),)
    assert in_force == 0
