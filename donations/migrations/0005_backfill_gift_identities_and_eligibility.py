"""Carry existing gifts forward: each gets the identity it was given with (as well as it
can be known), and gifts whose receipt was cancelled by hand, without correction, are no
longer receipted again by the annual run. Apart from the schema change: on PostgreSQL a
table's rows updated in a transaction cannot then have their table altered in it."""

from django.db import migrations
from django.utils import timezone

FIELDS = ("first_name", "last_name", "line1", "line2", "postcode", "city", "country")


def address_lines(fields: dict) -> list[str]:
    lines = (fields["line1"], fields["line2"], f"{fields['postcode']} {fields['city']}")
    return [line for line in (*lines, fields["country"]) if line.strip()]


def receipt_identity(receipt) -> dict | None:
    """The name and address a receipt froze, back into fields; None if they do not read back
    exactly (the receipt keeps address lines, not fields)."""
    lines = list(receipt.donor_address)
    if len(lines) not in (3, 4):
        return None
    postcode, _space, city = lines[-2].partition(" ")
    fields = {
        "first_name": receipt.donor_first_names,
        "last_name": receipt.donor_last_name,
        "line1": lines[0],
        "line2": lines[1] if len(lines) == 4 else "",
        "postcode": postcode,
        "city": city,
        "country": lines[-1],
    }
    return fields if address_lines(fields) == lines else None


def backfill_gift_identities(apps, schema_editor):
    """Each gift gets the identity it was receipted with (its receipt in force), else its
    donor's current one; a monthly gift, that of its latest receipted month, else its
    donor's. Equal identities of a donor share one row."""
    Donation = apps.get_model("donations", "Donation")
    MonthlyGift = apps.get_model("donations", "MonthlyGift")
    GiftIdentity = apps.get_model("donations", "GiftIdentity")
    made = {}

    def identity(donor, fields=None):
        fields = fields or {name: getattr(donor, name) for name in FIELDS}
        key = (donor.pk, *(fields[name] for name in FIELDS))
        if key not in made:
            made[key] = GiftIdentity.objects.create(donor=donor, **fields)
        return made[key]

    gifts = Donation.objects.select_related("donor", "receipt").order_by("pk")
    for donation in gifts.iterator(chunk_size=500):
        frozen = receipt_identity(donation.receipt) if donation.receipt_id else None
        donation.identity = identity(donation.donor, frozen)
        donation.save(update_fields=["identity"])
    for gift in MonthlyGift.objects.select_related("donor").order_by("pk").iterator():
        latest = (
            Donation.objects.filter(monthly_gift=gift, receipt__isnull=False)
            .order_by("-paid_at", "-pk")
            .first()
        )
        gift.identity = latest.identity if latest else identity(gift.donor)
        gift.save(update_fields=["identity"])


def mark_cancelled_gifts_ineligible(apps, schema_editor):
    """Before, a receipt cancelled by hand without a correction left its paid gifts
    unreceipted, to be receipted again by the annual run: the treasurer had cancelled it
    because they were not eligible. Those gifts (matched by the receipt's donor, payment
    dates and amounts) are marked not eligible; a correction or a refund's receipt said
    they were."""
    Receipt = apps.get_model("donations", "Receipt")
    Donation = apps.get_model("donations", "Donation")
    cancelled = Receipt.objects.filter(status="cancelled")
    cancelled.filter(replaced_by__isnull=False).update(gifts_eligible=True)
    for receipt in cancelled.filter(replaced_by__isnull=True):
        listed = {(payment["date"], payment["amount"]) for payment in receipt.payments}
        candidates = Donation.objects.filter(
            donor_id=receipt.donor_id, status="paid", receipt__isnull=True
        )
        matched = [
            donation.pk
            for donation in candidates
            if donation.paid_at is not None
            and (
                timezone.localdate(donation.paid_at).isoformat(),
                str(donation.amount - donation.amount_refunded),
            )
            in listed
        ]
        Donation.objects.filter(pk__in=matched).update(receipt_eligible=False)
        receipt.gifts_eligible = not matched
        receipt.save(update_fields=["gifts_eligible"])


class Migration(migrations.Migration):
    dependencies = [
        ("donations", "0004_gift_identity_and_receipt_eligibility"),
    ]

    operations = [
        migrations.RunPython(backfill_gift_identities, migrations.RunPython.noop),
        migrations.RunPython(mark_cancelled_gifts_ineligible, migrations.RunPython.noop),
    ]
