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
class MethodDetails:
    """A payment method the page set up, as the payer's pages show it. For a SEPA debit, the
    mandate the payer accepted: its reference (on their bank statements) and when."""

    method_id: str
    stripe_type: str  # "card" or "sepa_debit"
    label: str  # "Visa •••• 4242", "FR•• •••• •••• 2606"
    mandate_reference: str = ""
    mandate_signed_at: datetime.datetime | None = None
    account_holder: str = ""


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
    # A first month paid by SEPA debit: the bank answers in days (a payments.events.InvoicePaid
    # or InvoiceFailed then); its invoice and payment meanwhile.
    pending_invoice_id: str = ""
    pending_payment_id: str = ""


Outcome = Paid | NeedsAuthentication | Processing | Refused | Subscribed
