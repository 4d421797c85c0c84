"""January's run: the summary receipts of a year's monthly gifts."""

import dataclasses
import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from donations import identity as identities
from donations.models import Donation, Receipt
from donations.services.notifications import send_receipt_email
from donations.services.receipts import issue_receipt


@dataclasses.dataclass
class AnnualRun:
    """What January's run issued: counts, not the receipts themselves (10 000 of them held
    until the end would weigh some 80 MB)."""

    year: int
    count: int = 0
    total: Decimal = Decimal("0.00")


def issue_annual_receipts(year: int) -> AnnualRun:
    """January's summary receipts: one per donor and per person their gifts name
    (``identities.by_person``) for the monthly gifts paid in ``year`` that have no receipt
    yet (a gift receipted on its own is never counted again).

    Each donor's receipts commit with their emails on their own: a run stopped half-way (a worker
    killed) is finished by running it again, which finds those donors' gifts receipted.
    """
    donor_ids = (
        _monthly_gifts_to_receipt(year).order_by("donor_id").values_list("donor_id", flat=True)
    )
    run = AnnualRun(year)
    for donor_id in list(dict.fromkeys(donor_ids)):
        for receipt in _issue_annual_receipts(year, donor_id):
            run.count += 1
            run.total += receipt.amount
    return run


def _monthly_gifts_to_receipt(year: int):
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    return Donation.objects.filter(
        status=Donation.Status.PAID,
        receipt__isnull=True,
        receipt_eligible=True,
        monthly_gift__isnull=False,
        paid_at__gte=start,
        paid_at__lt=end,
    )


@transaction.atomic
def _issue_annual_receipts(year: int, donor_id: int) -> list[Receipt]:
    # Locked and read again: a second run at the same time finds them receipted and skips.
    gifts = list(
        _monthly_gifts_to_receipt(year)
        .filter(donor_id=donor_id)
        .select_for_update(of=("self",))
        .select_related("donor", "identity")
        .order_by("paid_at", "pk")
    )
    receipts = []
    for own in identities.by_person(gifts):  # one email may carry several people's gifts
        receipt = issue_receipt(own, annual=True)
        send_receipt_email(receipt, "donations/emails/annual_receipt", language=own[-1].language)
        receipts.append(receipt)
    return receipts
