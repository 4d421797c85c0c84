"""Stripe's dispute events, which the stand-in never sends: built as Stripe documents the
Dispute object (API reference, "The Dispute object") and signed with the endpoint secret."""

import time

from payments import gateway
from tests.support import stripe_standin as standin_helpers
from tests.support.donations import post_event


def dispute_object(
    dispute_id: str,
    *,
    charge: str,
    payment_intent: str | None,
    cents: int,
    status: str = "needs_response",
    reason: str = "general",
) -> dict:
    return {
        "id": dispute_id,
        "object": "dispute",
        "amount": cents,
        "balance_transactions": [],
        "charge": charge,
        "created": int(time.time()),
        "currency": "eur",
        "evidence": {"customer_name": None, "uncategorized_text": None},
        "evidence_details": {
            "due_by": int(time.time()) + 7 * 86400,
            "has_evidence": False,
            "past_due": False,
            "submission_count": 0,
        },
        "is_charge_refundable": False,
        "livemode": False,
        "metadata": {},
        "network_reason_code": None,
        "payment_intent": payment_intent,
        "payment_method_details": None,
        "reason": reason,
        "status": status,
    }


def post_dispute(event_type: str, obj: dict, event_id: str | None = None, *, signature=None):
    payload = standin_helpers.event(event_type, obj, event_id)
    return post_event(payload, signature or standin_helpers.sign(payload))


def charge_of_payment(payment_intent_id: str) -> str:
    """The charge of a PaymentIntent paid at the stand-in."""
    intent = gateway.client().v1.payment_intents.retrieve(payment_intent_id)
    return gateway.object_id(intent.latest_charge)
