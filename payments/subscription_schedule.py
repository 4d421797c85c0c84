"""A monthly gift's schedule at Stripe: its amount and a pause (the subscription of
payments.subscriptions).

Real Stripe and the stand-in (localstripe 1.15.10) part ways here: the stand-in answers 500 to
``proration_behavior`` and to ``pause_collection``. STRIPE_DEMO_MODE (no secret key: the demo
and the tests) is true with the stand-in only, so it picks the parameters (README, "The
stand-in (localstripe) and where it differs from Stripe")."""

import datetime
import time
from decimal import Decimal

from django.conf import settings

from payments import gateway
from payments.subscriptions import monthly_plan


def _without_proration() -> dict:
    """Real Stripe: nothing billed or credited for the days left of the month paid; the change
    counts from the next debit. The stand-in takes no such parameter and bills no proration
    either (it leaves pending items, see ``_drop_standin_prorations``)."""
    return {} if settings.STRIPE_DEMO_MODE else {"proration_behavior": "none"}


@gateway.calling_stripe("change a monthly amount")
def change_amount(*, subscription_id: str, amount: Decimal) -> None:
    """The subscription's single item moves to the monthly plan of ``amount``, from its next
    debit (same day of the month). Nothing is sent when it already is on that plan: a second
    submit, or a retry after our side failed to save, changes nothing more."""
    client = gateway.client()
    plan = monthly_plan(amount)
    subscription = client.v1.subscriptions.retrieve(subscription_id)
    item = subscription["items"]["data"][0]
    # A plan is also a price of the same id; newer API versions name the price only.
    if gateway.object_id(gateway.field(item, "price") or gateway.field(item, "plan")) == plan:
        return
    client.v1.subscriptions.update(
        subscription_id,
        params={"items": [{"id": item["id"], "plan": plan}], **_without_proration()},
    )
    if settings.STRIPE_DEMO_MODE:
        _drop_standin_prorations(client, subscription)


def _drop_standin_prorations(client, subscription) -> None:
    """The stand-in ignores ``prorate`` and always leaves an "Unused time" credit pending on
    the customer, which its next invoice (a new subscription's first) would take: deleted, as
    real Stripe with ``proration_behavior: none`` makes none."""
    customer = gateway.object_id(subscription["customer"])
    pending = client.v1.invoice_items.list(params={"customer": customer, "limit": 100})
    for item in pending.data:
        if item["proration"] and gateway.field(item, "subscription") == subscription["id"]:
            client.v1.invoice_items.delete(item["id"])


def _next_payment(subscription) -> int | None:
    """When the next invoice comes: a pause's end (``trial_end``), else the period's end (on
    the subscription in older API versions, like the stand-in's; on its item in newer ones)."""
    trial_end = gateway.field(subscription, "trial_end")
    if trial_end and trial_end > time.time():
        return trial_end
    period_end = gateway.field(subscription, "current_period_end")
    if period_end is None:
        period_end = gateway.field(subscription["items"]["data"][0], "current_period_end")
    return period_end


@gateway.calling_stripe("read a subscription's next payment")
def next_payment_at(*, subscription_id: str) -> datetime.datetime | None:
    """When Stripe will next charge the subscription (aware), None if it does not say."""
    subscription = gateway.client().v1.subscriptions.retrieve(subscription_id)
    if subscription["status"] not in ("active", "trialing", "past_due"):
        return None
    at = _next_payment(subscription)
    return datetime.datetime.fromtimestamp(at, tz=datetime.UTC) if at else None


@gateway.calling_stripe("pause a subscription")
def charge_next_at(*, subscription_id: str, at: datetime.datetime) -> None:
    """No payment until ``at``, then one a month from that day: the subscription is put on a
    trial until then. Real Stripe's ``pause_collection`` would void an invoice a month and
    resume on its own cycle; ``trial_end`` makes no invoice at all and charges at ``at``
    exactly (the billing cycle starts again then), and the stand-in takes it."""
    gateway.client().v1.subscriptions.update(
        subscription_id, params={"trial_end": int(at.timestamp()), **_without_proration()}
    )
