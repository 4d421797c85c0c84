"""Why a payment was refused or a monthly gift stopped, in the treasurer's words: one label
for each code Stripe (or the site) records in ``error_code``, never the raw English code."""

from django.utils.translation import gettext_lazy as _

# Stripe's codes (decline_code, or the error's code) and the site's own.
LABELS = {
    "card_declined": _("card declined"),
    "generic_decline": _("card declined"),
    "do_not_honor": _("card declined"),
    "insufficient_funds": _("insufficient funds"),
    "expired_card": _("card expired"),
    "incorrect_cvc": _("wrong security code"),
    "incorrect_number": _("wrong card number"),
    "invalid_expiry_month": _("wrong expiry date"),
    "invalid_expiry_year": _("wrong expiry date"),
    "lost_card": _("card reported lost"),
    "stolen_card": _("card reported stolen"),
    "processing_error": _("processing error"),
    "payment_intent_authentication_failure": _("3-D Secure authentication failed"),
    "setup_intent_authentication_failure": _("3-D Secure authentication failed"),
    "authentication_required": _("3-D Secure authentication required"),
    # SEPA debits refused by the donor's bank.
    "account_closed": _("bank account closed"),
    "bank_account_restricted": _("bank account restricted"),
    "debit_not_authorized": _("debit not authorised by the account holder"),
    "invalid_account_number": _("wrong account number"),
    "no_account": _("bank account not found"),
    "generic_could_not_process": _("debit refused by the bank"),
    # The site's own codes (donations/services/failed_payments.py, disputes.py).
    "invoice_payment_failed": _("payment refused"),
    "payments_refused": _("payments refused in a row"),
    "first_debit_refused": _("first debit refused by the bank"),
    "payment_disputed": _("a payment reversed by the bank"),
}
UNKNOWN = _("payment refused")


def refusal_label(code: str) -> str:
    """The French (translated) label of a refusal or stop code; a code not known yet reads
    as a refused payment."""
    return str(LABELS.get(code, UNKNOWN)) if code else ""
