"""Demonstration data, the donations' part: the association (signature included) and a year
of receipted gifts for the treasurer's desk."""

import datetime
import io
import math
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from donations.models import Association, Donation, Donor, Mandate, MonthlyGift, Receipt
from donations.services.receipts import issue_receipt
from magazine.demo import MAGAZINE


def seed() -> None:
    demo_association()
    _gifts()


# Demo donors: (first name, last name, city, postcode, one-off amounts, monthly amount or None)
DONORS = (
    ("Marie", "Curie", "Paris", "75005", (50, 100), 10),
    ("Victor", "Hugo", "Paris", "75004", (200,), None),
    ("Olympe", "de Gouges", "Montauban", "82000", (30, 20), 15),
    ("Jean", "Jaurès", "Castres", "81100", (80,), None),
    ("Louise", "Michel", "Lyon", "69001", (25, 25, 40), 5),
    ("Albert", "Londres", "Vichy", "03200", (150,), None),
)


def _gifts() -> None:
    """A year of gifts for the treasurer's desk: last year's and this year's, receipted.

    Spread over the civil year as real gifts are (one-offs in various months, each monthly
    gift every month), all before today. This year's receipts are dated with their gifts and
    numbered in the order of those dates, as if issued when each gift was paid.
    Made once (receipts are never deleted, so a second load leaves them as they are).
    """
    if Donation.objects.exists():
        return
    now = timezone.now()
    today = timezone.localdate(now)
    to_receipt = []
    for index, (first, last, city, postcode, one_offs, monthly) in enumerate(DONORS):
        donor = Donor.objects.create(
            email=f"{first.lower()}.{last.lower().replace(' ', '')}@exemple.org",
            first_name=first,
            last_name=last,
            line1=f"{index + 3} rue de la République",
            postcode=postcode,
            city=city,
            country="France",
        )
        # One monthly gift per monthly donor, running since January of last year; Olympe de
        # Gouges gives by SEPA direct debit, under a mandate signed then.
        gift = (
            MonthlyGift.objects.create(
                donor=donor,
                amount=monthly,
                status=MonthlyGift.Status.ACTIVE,
                started_at=_aware(today.year - 1, 1, 5),
                **_demo_method(donor, by_debit=last == "de Gouges"),
            )
            if monthly
            else None
        )
        for year in (today.year - 1, today.year):
            made = []
            for number, amount in enumerate(one_offs):
                month = 1 + (index * 2 + number * 5) % 12
                day = 3 + (index * 4 + number * 7) % 24
                made.append(_demo_donation(donor, amount, _aware(year, month, day), now=now))
            if gift:
                for month in range(1, 13):
                    made.append(
                        _demo_donation(donor, monthly, _aware(year, month, 5), gift=gift, now=now)
                    )
            if year == today.year:
                to_receipt.extend(donation for donation in made if donation is not None)
    # Receipts in the order of their gifts' dates: their numbers follow the calendar.
    for donation in sorted(to_receipt, key=lambda donation: (donation.paid_at, donation.pk)):
        receipt = issue_receipt([donation])
        issued_at = min(donation.paid_at + datetime.timedelta(hours=2), now)
        Receipt.objects.filter(pk=receipt.pk).update(issued_at=issued_at)


def _demo_method(donor: Donor, *, by_debit: bool) -> dict:
    if not by_debit:
        return {"payment_label": "Visa •••• 4242"}
    mandate = Mandate.objects.create(
        donor=donor,
        reference=f"KIOSQUEDEMO{donor.pk:05d}",
        signed_at=_aware(timezone.localdate().year - 1, 1, 5),
        account_holder=f"{donor.first_name} {donor.last_name}",
        account_label="FR•• •••• •••• 2606",
        stripe_payment_method_id=f"pm_demo_sepa_{donor.pk}",
    )
    return {
        "method": Donation.Method.DIRECT_DEBIT,
        "mandate": mandate,
        "payment_label": mandate.account_label,
    }


def _aware(year: int, month: int, day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 10))


def _demo_donation(donor, amount, paid_at, *, gift=None, now) -> Donation | None:
    """A paid gift, or None for a date still to come (a demo shows no future gift)."""
    if paid_at >= now:
        return None
    return Donation.objects.create(
        donor=donor,
        monthly_gift=gift,
        method=gift.method if gift else Donation.Method.CARD,
        mandate=gift.mandate if gift else None,
        amount=Decimal(amount),
        status=Donation.Status.PAID,
        paid_at=paid_at,
        payment_intent_id=(f"pi_demo_{donor.pk}_{paid_at:%Y_%m_%d}_{amount}_{bool(gift)}"),
    )


def demo_association() -> None:
    """The demonstration association, signature included (also used by the tests)."""
    association = Association.objects.filter(pk=1).first() or Association()
    association.name = f"Les Amis de {MAGAZINE}"
    association.line1 = "12 rue des Imprimeurs"
    association.line2 = ""
    association.postcode = "69002"
    association.city = "Lyon"
    association.country = "France"
    association.siren = "123456789"
    association.rna = "W691234567"
    association.purpose = (
        f"Éditer et diffuser le magazine {MAGAZINE}, favoriser le pluralisme de la presse "
        "et l'éducation aux médias."
    )
    association.qualification = Association.Qualification.GENERAL_INTEREST
    association.qualification_detail = ""
    # Receipts with every monthly payment, so that the demo shows them at once; the
    # treasurer may choose January's summary receipt instead (dashboard, Association).
    association.monthly_receipts = Association.MonthlyReceipts.PER_PAYMENT
    association.signatory_name = "Hélène Roux"
    association.signatory_role = "Trésorière"
    association.email = "contact@kiosque.example"
    association.site_name = MAGAZINE
    if not association.signature:
        association.signature.save("signature.png", ContentFile(_signature_png()), save=False)
    association.full_clean()
    association.save()


def _signature_png() -> bytes:
    image = Image.new("RGBA", (400, 120), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    points = [(20 + x, 60 + 30 * math.sin(x / 18) * math.cos(x / 53)) for x in range(0, 360, 3)]
    draw.line(points, fill=(20, 30, 90, 255), width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
