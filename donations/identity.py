"""Donors' names and addresses: the writes and the one rule that protects them.

Anyone may type any email into the gift form, so what is typed there is only the gift's: it
is kept with the gift (``GiftIdentity``), becomes the donor's once that gift is paid, and a
receipt prints the identity given with the payments it covers. An unpaid form never changes
a stored identity, nor a monthly gift's next receipt.
"""

from django.db import transaction
from django.utils import timezone

from donations.identity_models import IDENTITY_FIELDS, GiftIdentity, PostalIdentity
from donations.models import Donation, Donor, MonthlyGift
from magazine.models import NewsletterSubscriber
from magazine.services import request_newsletter


@transaction.atomic
def record_donor(*, details: dict, user=None, language: str) -> Donor:
    """The donor of that email; made with the details given if new. An existing donor's
    name and address are left as they are: the gift's own come with ``record_gift_identity``."""
    email = details["email"].strip().lower()
    donor = Donor.objects.select_for_update().filter(email=email).first()
    if donor is None:
        donor = Donor(email=email, language=language, **_cleaned(details))
    if user is not None and user.is_authenticated and user.email.lower() == email:
        donor.user = user
    if details.get("newsletter") and donor.newsletter_consent_at is None:
        donor.newsletter_consent_at = timezone.now()
    donor.save()
    if details.get("newsletter"):
        # Subscribed the same way as from the footer: confirmed by the link emailed.
        request_newsletter(email, source=NewsletterSubscriber.Source.DONATION, language=language)
    return donor


@transaction.atomic
def record_gift_identity(*, details: dict, user=None, language: str) -> GiftIdentity:
    """The name and address typed with a gift, kept for that gift (its donor: ``.donor``)."""
    donor = record_donor(details=details, user=user, language=language)
    return GiftIdentity.objects.create(donor=donor, **_cleaned(details))


def current_identity(donor: Donor) -> GiftIdentity:
    """A gift started without a form (a new attempt after a refusal keeps the refused one's):
    the donor's stored identity, the one their paid gifts gave."""
    return GiftIdentity.objects.create(donor=donor, **donor.identity())


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
            **identity.identity(), language=donation.language
        )


def receipt_identity(donations: list[Donation]) -> PostalIdentity:
    """Who a receipt names: the identity given with the latest paid of its gifts (for a
    summary, the year's latest); gifts made before identities travelled, their donor's."""
    latest = max(donations, key=lambda donation: (donation.paid_at, donation.pk))
    return latest.identity or latest.donor


@transaction.atomic
def correct_identity(donations: list[Donation], details: dict) -> GiftIdentity:
    """The treasurer corrects the name or address a receipt printed: the gifts it covers
    (and the monthly gifts they belong to, for their next months) and the donor take it."""
    base = receipt_identity(donations)
    identity = GiftIdentity.objects.create(
        donor_id=donations[0].donor_id, **(base.identity() | _cleaned(details, partial=True))
    )
    pks = [donation.pk for donation in donations]
    Donation.objects.filter(pk__in=pks).update(identity=identity)
    monthly = {donation.monthly_gift_id for donation in donations} - {None}
    MonthlyGift.objects.filter(pk__in=monthly).update(identity=identity)
    Donor.objects.filter(pk=identity.donor_id).update(**identity.identity())
    return identity


def _cleaned(details: dict, *, partial: bool = False) -> dict:
    return {
        name: (details.get(name) or "").strip()
        for name in IDENTITY_FIELDS
        if not partial or name in details
    }
