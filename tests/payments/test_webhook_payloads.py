"""/stripe/webhook/ with signed payloads that are not what Stripe sends, or that name rows the
site does not have: a 400 for a malformed payload, a 2xx (ignored, logged) for unknown
references, never a 500 (Stripe would retry it for days). Timestamps from the future are
refused like those from the past."""

import json
import logging
import time

import pytest
from django.test import Client

from donations.models import Donation, MonthlyGift
from payments import events, webhooks
from payments.models import StripeEvent
from tests.support import stripe_standin as standin_helpers

WEBHOOK = "/stripe/webhook/"

pytestmark = pytest.mark.usefixtures("demo_once")


def post_signed(payload: bytes, timestamp: int | None = None):
    return Client().post(
        WEBHOOK,
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=standin_helpers.sign(payload, timestamp=timestamp),
    )


def an_event(**changes) -> dict:
    return json.loads(standin_helpers.event("customer.created", {"id": "cus_1"})) | changes


MALFORMED = {
    "an array": b"[]",
    "an array of events": json.dumps([an_event()]).encode(),
    "a string": b'"payment_intent.succeeded"',
    "a number": b"12",
    "null": b"null",
    "no type": json.dumps({k: v for k, v in an_event().items() if k != "type"}).encode(),
    "a type that is not a string": json.dumps(an_event(type=["invoice.paid"])).encode(),
    "an empty type": json.dumps(an_event(type="")).encode(),
    "no id": json.dumps({k: v for k, v in an_event().items() if k != "id"}).encode(),
    "an id that is not a string": json.dumps(an_event(id={"x": 1})).encode(),
    # Longer than the event store's column (PostgreSQL would refuse the row: a 500).
    "an id of 256 characters": json.dumps(an_event(id="evt_" + "x" * 252)).encode(),
    "no data": json.dumps({k: v for k, v in an_event().items() if k != "data"}).encode(),
    "data without its object": json.dumps(an_event(data={})).encode(),
    "an object that is an array": json.dumps(an_event(data={"object": []})).encode(),
    "not UTF-8": b'{"id": "evt_\xff", "type": "x"}',
    "not JSON": b"{'id': 'evt_1'}",
    "nested 5000 deep": b'{"id": "evt_1", "type": "x", "data": {"object": '
    + b"[" * 5000
    + b"]" * 5000
    + b"}}",
    "a NUL in its id": json.dumps(an_event(id="evt_\x00")).encode(),
    "a NUL in its object": json.dumps(an_event(data={"object": {"id": "cus_\x00"}})).encode(),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_a_signed_malformed_payload_is_refused_with_a_400(db, name, stripe_standin):
    response = post_signed(MALFORMED[name])

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


# Objects naming rows the site does not have, one per kind of reference our handlers follow.
MISSING = 987654321
UNKNOWN_OBJECTS = {
    "an order's payment": {
        "id": "pi_unknown_order",
        "object": "payment_intent",
        "status": "succeeded",
        "amount": 600,
        "currency": "eur",
        "created": 1790000000,
        "metadata": {"purpose": "kiosque_order", "card_payment": str(MISSING)},
        "last_payment_error": {"code": "card_declined"},
    },
    "a gift's payment": {
        "id": "pi_unknown_gift",
        "object": "payment_intent",
        "status": "succeeded",
        "amount": 5000,
        "currency": "eur",
        "created": 1790000000,
        "metadata": {"purpose": "kiosque_donation", "donation": str(MISSING)},
        "last_payment_error": {"code": "card_declined"},
    },
    "an invoice of an unknown subscription": {
        "id": "in_unknown",
        "object": "invoice",
        "status": "paid",
        "amount_paid": 1000,
        "currency": "eur",
        "subscription": "sub_unknown",
        "payment_intent": "pi_unknown",
        "status_transitions": {"paid_at": 1790000000},
    },
    "a charge of unknown payments": {
        "id": "ch_unknown",
        "object": "charge",
        "amount": 600,
        "amount_refunded": 600,
        "payment_intent": "pi_unknown",
        "invoice": "in_unknown",
        "refunds": {"data": [{"id": "re_unknown"}]},
    },
}


def handled_types() -> list[str]:
    return webhooks.handled_stripe_types()


@pytest.mark.parametrize("event_type", handled_types())
@pytest.mark.parametrize("kind", UNKNOWN_OBJECTS)
def test_a_signed_event_naming_unknown_rows_is_acknowledged_and_logged(
    stripe_standin, event_type, kind, caplog
):
    """Every handled event type, with every kind of reference pointing at nothing."""
    payload = standin_helpers.event(event_type, UNKNOWN_OBJECTS[kind])
    gifts, monthly = Donation.objects.count(), MonthlyGift.objects.count()

    with caplog.at_level(logging.INFO):
        response = post_signed(payload)

    assert response.status_code == 200, response.content
    assert StripeEvent.objects.filter(event_id=json.loads(payload)["id"]).exists()
    assert (Donation.objects.count(), MonthlyGift.objects.count()) == (gifts, monthly)
    assert post_signed(payload).status_code == 200  # Stripe's retry: the same, no 500


def test_an_event_naming_an_unknown_row_is_logged(stripe_standin, caplog):
    payload = standin_helpers.event(
        "payment_intent.succeeded", UNKNOWN_OBJECTS["an order's payment"]
    )
    with caplog.at_level(logging.WARNING):
        assert post_signed(payload).status_code == 200
    assert any("ignored" in record.getMessage() for record in caplog.records)


def test_a_timestamp_from_the_future_is_refused(db, stripe_standin):
    payload = standin_helpers.event("customer.created", {"id": "cus_1"})

    assert post_signed(payload, timestamp=int(time.time()) + 3600).status_code == 400
    assert post_signed(payload, timestamp=int(time.time()) - 3600).status_code == 400
    assert not StripeEvent.objects.exists()
    # A clock a few seconds ahead of ours is no attack.
    assert post_signed(payload, timestamp=int(time.time()) + 5).status_code == 200


# Objects of the right event type but the wrong shape: what a handler reads is missing or of
# another JSON type (a number for an id, an object for a string...).
ILL_TYPED_OBJECTS = {
    "an empty object": {},
    "a number for an id": {"id": 1},
    "numbers for every reference": {
        "id": "obj_x",
        "subscription": 123,
        "payment_intent": 456,
        "customer": 789,
        "invoice": 12,
        "metadata": {"purpose": "kiosque_donation", "donation": "not a number"},
    },
    "amounts that are no amounts": {
        "id": "obj_z",
        "subscription": "sub_unknown",
        "amount_paid": "x",
        "amount": 10**30,
        "amount_refunded": 1.5,
        "status": "paid",
    },
    "objects where strings go": {
        "id": "obj_y",
        "subscription": {"id": 1},
        "payment_intent": {},
        "status": ["succeeded"],
        "metadata": "not an object",
        "amount": "six hundred",
        "amount_refunded": None,
    },
}


@pytest.mark.parametrize("event_type", handled_types())
@pytest.mark.parametrize("kind", ILL_TYPED_OBJECTS)
def test_a_signed_event_of_the_wrong_shape_is_refused_never_a_500(stripe_standin, event_type, kind):
    payload = standin_helpers.event(event_type, ILL_TYPED_OBJECTS[kind])
    gifts, monthly = Donation.objects.count(), MonthlyGift.objects.count()

    response = post_signed(payload)

    assert response.status_code in (200, 400), (event_type, kind, response.status_code)
    if response.status_code == 400:  # refused whole: nothing kept, nothing half-done
        assert not StripeEvent.objects.filter(event_id=json.loads(payload)["id"]).exists()
    assert (Donation.objects.count(), MonthlyGift.objects.count()) == (gifts, monthly)


def _states():
    return (
        sorted(MonthlyGift.objects.values_list("pk", "status")),
        sorted(Donation.objects.values_list("pk", "status")),
    )


def types_with_own_ids() -> list[str]:
    return [name for name in handled_types() if name not in events.WITHOUT_ID]


@pytest.mark.parametrize("event_type", types_with_own_ids())
@pytest.mark.parametrize("own_id", [None, ""], ids=["null", "empty"])
def test_an_object_without_its_own_id_is_refused_and_changes_nothing(
    stripe_standin, event_type, own_id
):
    """An empty id would match every row whose Stripe id is empty (the demo's monthly gifts,
    gifts still on their payment page): all of them stopped or refunded at once."""
    assert MonthlyGift.objects.filter(stripe_subscription_id__isnull=True).exists()
    before = _states()
    obj = {"id": own_id, "object": event_type.split(".")[0], "status": "succeeded"}
    payload = standin_helpers.event(event_type, obj)

    response = post_signed(payload)

    assert response.status_code == 400, (event_type, response.status_code)
    assert not StripeEvent.objects.filter(event_id=json.loads(payload)["id"]).exists()
    assert _states() == before


@pytest.mark.parametrize("event_type", sorted(events.WITHOUT_ID))
@pytest.mark.parametrize("subscription", [None, ""], ids=["null", "empty"])
def test_an_object_known_by_its_subscription_needs_one(stripe_standin, event_type, subscription):
    """An upcoming invoice has no id of its own: without a subscription it names nothing (not
    the gifts whose subscription id is still empty)."""
    before = _states()
    obj = {"object": "invoice", "subscription": subscription, "amount_due": 1000}
    payload = standin_helpers.event(event_type, obj)

    assert post_signed(payload).status_code == 200
    assert _states() == before
