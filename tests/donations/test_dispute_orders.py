"""Disputes of a shop order's payment: the order's, not a gift's, unless the bank takes back
more than the order's part of a payment that also paid a gift. Real stand-in for the
payment, the dispute events signed (the stand-in never sends them)."""

import pytest
from oscar.core.loading import get_model

from donations.models import Dispute, Donation, Receipt, TreasuryLog
from tests.donations.test_order_gifts import add_gift
from tests.support.checkout import PDF_ISSUE, PRINT_ISSUE, fill_basket, go_to_payment, pay
from tests.support.disputes import charge_of_payment, dispute_object, post_dispute

Order = get_model("order", "Order")

pytestmark = pytest.mark.usefixtures("demo", "outbox_emails")


def gifts_state() -> list:
    return list(Donation.objects.order_by("pk").values_list("pk", "status", "receipt_id", "amount"))


def dispute_of(order, dispute_id: str, cents: int) -> dict:
    payment = order.sources.get().reference
    return dispute_object(
        dispute_id, charge=charge_of_payment(payment), payment_intent=payment, cents=cents
    )


def test_a_dispute_of_an_order_leaves_the_gifts_alone(client, stripe_standin):
    fill_basket(client, PRINT_ISSUE)
    go_to_payment(client)
    assert pay(client, stripe_standin).status_code == 200
    order = Order.objects.get()
    before = gifts_state(), list(Receipt.objects.values_list("number", "status"))
    logged = TreasuryLog.objects.count()

    response = post_dispute("charge.dispute.created", dispute_of(order, "dp_order", 1200))

    assert response.status_code == 200
    assert (gifts_state(), list(Receipt.objects.values_list("number", "status"))) == before
    assert TreasuryLog.objects.count() == logged
    assert not Dispute.objects.exists()


def test_only_what_goes_beyond_the_order_is_taken_from_its_gift(client, stripe_standin):
    """18 € of issues and a 10 € gift in one payment: the order's part first, as refunds."""
    fill_basket(client, PRINT_ISSUE, PDF_ISSUE)
    assert add_gift(client).status_code == 302
    go_to_payment(client)
    assert pay(client, stripe_standin).status_code == 200
    order = Order.objects.get()
    gift = Donation.objects.get(order_gift__isnull=False)
    receipt = gift.receipt
    before = gifts_state()

    assert (
        post_dispute("charge.dispute.created", dispute_of(order, "dp_part", 1800)).status_code
        == 200
    )
    assert gifts_state() == before  # the order's part only: the gift is whole

    assert (
        post_dispute("charge.dispute.created", dispute_of(order, "dp_all", 2800)).status_code == 200
    )
    gift.refresh_from_db()
    receipt.refresh_from_db()
    assert gift.status == Donation.Status.DISPUTED and receipt.is_cancelled
    assert Dispute.objects.get(stripe_dispute_id="dp_all").amount == gift.amount
