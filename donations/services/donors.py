"""Donors: who gives, found by their email."""

from django.db import transaction
from django.utils import timezone

from accounts.selectors import verified_email
from donations import identity as identities
from donations.models import Donor
from magazine.models import NewsletterSubscriber
from magazine.services import request_newsletter


@transaction.atomic
def record_donor(*, details: dict, user=None, language: str) -> Donor:
    """The donor of that email. Only a new donor takes the name and address typed here: a
    known one's change once a gift is paid (``donations.identity``), never on a form."""
    email = details["email"].strip().lower()
    donor = Donor.objects.select_for_update().filter(email=email).first()
    if donor is None:
        donor = Donor(email=email, language=language, **identities.given(details))
    if user is not None and verified_email(user) == email:
        donor.user = user  # never an account that has not proved it owns this email
    if details.get("newsletter") and donor.newsletter_consent_at is None:
        donor.newsletter_consent_at = timezone.now()
    donor.save()
    if details.get("newsletter"):
        # Subscribed the same way as from the footer: confirmed by the link emailed.
        request_newsletter(email, source=NewsletterSubscriber.Source.DONATION, language=language)
    return donor
