"""Amounts as a tax receipt and the donation page say them."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from num2words import num2words

CENT = Decimal("0.01")


def _euros_in_words(euros: int) -> str:
    words = num2words(euros, lang="fr")
    unit = "euro" if euros == 1 else "euros"
    # "un million d'euros", "deux milliards d'euros": the noun takes "de".
    if words.endswith(("million", "millions", "milliard", "milliards")):
        return f"{words} d'euros"
    return f"{words} {unit}"


def amount_in_words(amount: Decimal) -> str:
    """French words for an amount in euros: "mille deux cent trente-quatre euros et
    cinquante-six centimes".

    num2words spells the numbers (its "quatre-vingts", "deux cents", "vingt et un" are
    right), but its currency mode reads an int as cents and says "zéro centimes": the
    euros and the cents are spelt separately here.
    """
    amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if amount < 0:
        raise ValueError("A receipt's amount is never negative")
    euros = int(amount)
    cents = int((amount - euros) * 100)
    parts = []
    if euros or not cents:
        parts.append(_euros_in_words(euros))
    if cents:
        parts.append(f"{num2words(cents, lang='fr')} {'centime' if cents == 1 else 'centimes'}")
    return " et ".join(parts)


def cost_after_tax_reduction(amount: Decimal) -> Decimal:
    """What a gift really costs a French taxpayer after the income-tax reduction (art. 200)."""
    rate = settings.KIOSQUE_TAX_REDUCTION_RATE
    return (amount * (1 - rate)).quantize(CENT, rounding=ROUND_HALF_UP)


def euros(amount: Decimal) -> str:
    """A number of euros as people write it: "34", "17,50" (no ",00" on whole amounts)."""
    whole = amount == amount.to_integral_value()
    return number_format(amount, 0 if whole else 2, use_l10n=True, force_grouping=True)


def tax_reduction_script() -> dict:
    """What static/kiosque/js/donate.js needs to show a gift's real cost as the donor types
    (the donation page and the gift added to an order): the rate, the sentence, and the bounds
    of an online gift, outside which it shows nothing."""
    return {
        "rate": str(settings.KIOSQUE_TAX_REDUCTION_RATE),
        "template": _("A gift of %(amount)s € only costs you %(cost)s € after tax reduction."),
        "min": str(settings.KIOSQUE_DONATION_MIN),
        "max": str(settings.KIOSQUE_DONATION_MAX),
    }
