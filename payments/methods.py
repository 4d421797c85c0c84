"""Payment methods: what differs between paying by card and, later, by SEPA direct debit.

The set-up / pay / complete flow (payments.flow), the page's script and the door
(payments.facade) take a method and ask it what differs: Stripe's payment method type, the
messages the page shows, the form's template. A new method is one more ``PaymentMethod``
here (and its form's template), not a change in the apps that take payments.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from payments import gateway


@dataclass(frozen=True)
class PaymentMethod:
    code: str  # ours, in URLs and forms
    stripe_type: str  # Stripe's payment_method_types entry
    template: str  # the form included in the payment pages

    def form_context(self, payer_email: str) -> dict:
        """What the method's form and static/kiosque/js/card-payment.js need, besides URLs."""
        return {
            "payment_method": self.code,
            "stripe_publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
            "stripe_js_url": settings.STRIPE_JS_URL,
            "payer_email": payer_email,
            # Shown by the page's script, translated.
            "card_messages": {
                "codes": {
                    code: str(message) for code, message in gateway.CARD_ERROR_MESSAGES.items()
                },
                "declined": str(gateway.CARD_DECLINED),
                "unavailable": str(gateway.PAYMENT_UNAVAILABLE),
                "holder_missing": str(_("Please enter the account holder's name.")),
                "iban_invalid": str(
                    _("This IBAN cannot be used. Please check it. Nothing was debited.")
                ),
            },
        }


CARD = PaymentMethod(code="card", stripe_type="card", template="kiosque/card_form.html")
# SEPA direct debit: the page sets up a mandate (SetupIntent, IBAN and holder's name), the
# server then charges or subscribes it; each debit is "processing" for days with real Stripe.
SEPA_DEBIT = PaymentMethod(
    code="sepa_debit", stripe_type="sepa_debit", template="kiosque/card_form.html"
)

METHODS = {method.code: method for method in (CARD, SEPA_DEBIT)}


def get(code: str) -> PaymentMethod:
    return METHODS[code]
