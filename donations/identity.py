"""Donors' names and addresses: the writes and the one rule that protects them.

Anyone may type any email into the gift form, so what is typed there is only the gift's: it
is kept with the gift (``GiftIdentity``), becomes the donor's once that gift is paid, and a
receipt prints the identity given with the payments it covers. An unpaid form never changes
a stored identity, nor a monthly gift's next receipt.
"""

import unicodedata

from django.db import transaction

from donations.models import Donation, Donor, MonthlyGift
from donations.models.identity import IDENTITY_FIELDS, GiftIdentity, PostalIdentity


def record_gift_identity(*, donor: Donor, details: dict) -> GiftIdentity:
    """The name and address typed with a gift, kept for that gift."""
    return GiftIdentity.objects.create(donor=donor, **given(details))


def current_identity(donor: Donor) -> GiftIdentity:
    """For a gift started without a form (the demo, a script): the donor's stored identity,
    the one their paid gifts gave."""
    return GiftIdentity.objects.create(donor=donor, **donor.identity_fields())


def adopt_paid_identity(donation: Donation) -> None:
    """A gift is paid: the identity typed with it becomes the donor's, the first time it is
    paid (a monthly gift's later months change nothing: a newer gift's identity stays)."""
    identity = donation.identity
    if identity is None:
        return
    paid_before = Donation.objects.filter(identity=identity, paid_at__isnull=False).exclude(
        pk=donation.pk
    )
    if not paid_before.exists():
        Donor.objects.filter(pk=donation.donor_id).update(
            **identity.identity_fields(), language=donation.language
        )


def of_gift(gift: Donation | MonthlyGift) -> PostalIdentity:
    """Whom a gift names, on its pages and in its emails: the identity typed with it (a gift
    made before identities travelled, its donor's). Never the donor row's otherwise: anyone
    may type that email, and a paid gift changes the row."""
    return gift.identity or gift.donor


def receipt_identity(donations: list[Donation]) -> PostalIdentity:
    """Who a receipt names: the identity given with the latest paid of its gifts (for a
    summary, the year's latest)."""
    return of_gift(max(donations, key=lambda donation: (donation.paid_at, donation.pk)))


def person(identity: PostalIdentity) -> tuple[str, str]:
    """Whom an identity names: last name and first names with case, accents and surrounding
    spaces folded. An address is not a person: someone who moved is still the same."""

    def folded(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
        return "".join(char for char in decomposed if not unicodedata.combining(char))

    return folded(identity.last_name), folded(identity.first_name)


def by_person(donations: list[Donation]) -> list[list[Donation]]:
    """A donor's gifts grouped by the person their identities name, in the order given: one
    email is not one person (anyone may type it), and a receipt names one person only."""
    groups: dict[tuple[str, str], list[Donation]] = {}
    for donation in donations:
        groups.setdefault(person(of_gift(donation)), []).append(donation)
    return list(groups.values())


@transaction.atomic
def correct_identity(donations: list[Donation], details: dict) -> GiftIdentity:
    """The treasurer corrects the name or address a receipt printed: the gifts it covers of
    the person it named (and the monthly gifts they belong to, for their next months) and
    the donor take it."""
    base = receipt_identity(donations)
    identity = GiftIdentity.objects.create(
        donor_id=donations[0].donor_id, **(base.identity_fields() | given(details, partial=True))
    )
    # Only the printed person's gifts: another's (on a summary issued before receipts were
    # per person) keep their own identity and get their own receipt.
    own = [donation for donation in donations if person(of_gift(donation)) == person(base)]
    pks = [donation.pk for donation in own]
    Donation.objects.filter(pk__in=pks).update(identity=identity)
    monthly = {donation.monthly_gift_id for donation in own} - {None}
    MonthlyGift.objects.filter(pk__in=monthly).update(identity=identity)
    Donor.objects.filter(pk=identity.donor_id).update(**identity.identity_fields())
    return identity


def given(details: dict, *, partial: bool = False) -> dict:
    """The identity's fields in what a form gave (only those it gave, if ``partial``)."""
    return {
        name: (details.get(name) or "").strip()
        for name in IDENTITY_FIELDS
        if not partial or name in details
    }
