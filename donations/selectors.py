from django.db.models import Q, QuerySet

from donations.models import Association, Donation, Donor, MonthlyGift, Receipt


def get_association() -> Association | None:
    """The association, or None before it has been set up (see ``manage.py load_demo``)."""
    return Association.objects.filter(pk=1).first()


def donors_of_user(user) -> QuerySet[Donor]:
    """The donor records of a signed-in reader: given while signed in, or with their email."""
    if not user.is_authenticated:
        return Donor.objects.none()
    return Donor.objects.filter(Q(user=user) | Q(email__iexact=user.email))


def receipts_of(donors) -> QuerySet[Receipt]:
    return Receipt.objects.filter(donor__in=donors).select_related("replaces").defer("pdf")


def paid_donations_of(donors) -> QuerySet[Donation]:
    return (
        Donation.objects.filter(
            donor__in=donors, status__in=(Donation.Status.PAID, Donation.Status.REFUNDED)
        )
        .select_related("receipt", "monthly_gift")
        .order_by("-paid_at")
    )


def monthly_gifts_of(donors) -> QuerySet[MonthlyGift]:
    return MonthlyGift.objects.filter(
        donor__in=donors, status__in=(MonthlyGift.Status.ACTIVE, MonthlyGift.Status.STOPPED)
    )


def receipt_register(search: str) -> QuerySet[Receipt]:
    """The treasurer's register, searchable by number or donor's name or email."""
    receipts = Receipt.objects.select_related("donor", "replaces", "cancelled_by").defer("pdf")
    search = search.strip()
    if search:
        receipts = receipts.filter(
            Q(number__icontains=search)
            | Q(donor_last_name__icontains=search)
            | Q(donor__email__icontains=search)
        )
    return receipts.order_by("-year", "-sequence")
