"""What the payment door answers, in the shop's words: small frozen values, never Stripe
objects. Money is Decimal here; integer cents stay inside payments/.

A payment attempt ends as one of ``Paid``, ``NeedsAuthentication`` (the page runs 3-D Secure
with the client secret), ``Processing`` (the bank answers later, through a webhook) or
``Refused`` (nothing was charged; ``message`` is the payer's, translated). Stripe being
unreachable is not an outcome but ``StripeUnavailable`` (payments.gateway): nothing was done.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Setup:
    """A payment method being set up in the page: ``client_secret`` lets Stripe.js collect it."""

    setup_id: str
    customer_id: str
    client_secret: str


@dataclass(frozen=True)
class Paid:
    payment_id: str
    amount: Decimal
    paid_at: datetime.datetime
    metadata: Mapping[str, str] = field(default_factory=dict)
    customer_id: str = ""
    method_id: str = ""


@dataclass(frozen=True)
class NeedsAuthentication:
    payment_id: str
    client_secret: str
    customer_id: str = ""
    subscription_id: str = ""  # a subscription's first payment


@dataclass(frozen=True)
class Processing:
    payment_id: str
    customer_id: str = ""


@dataclass(frozen=True)
class Refused:
    code: str
    message: str
    payment_id: str | None = None
    customer_id: str = ""
    subscription_id: str = ""  # a subscription whose first payment was refused (cancelled)


@dataclass(frozen=True)
class Subscribed:
    """A subscription whose first month is paid (or free): it has started.
    ``first_invoice``: its paid first invoice (a payments.events.InvoicePaid), if any."""

    subscription_id: str
    customer_id: str = ""
    first_invoice: object | None = None


Outcome = Paid | NeedsAuthentication | Processing | Refused | Subscribed
