from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.selectors import verified_email
from donations.models import (
    Association,
    Donation,
    Donor,
    MonthlyGift,
    Receipt,
    ReceiptArchive,
    TreasuryLog,
)


def get_association() -> Association | None:
    """The association, or None before it has been set up (see ``manage.py load_demo``)."""
    return Association.objects.filter(pk=1).first()


def donors_of_user(user) -> QuerySet[Donor]:
    """The donor records of a signed-in reader, once their email is verified: the one of
    that email, and those linked to the account when it verified earlier emails. A donor is
    known by email only, so an account that has not proved its email has none."""
    email = verified_email(user)
    if email is None:
        return Donor.objects.none()
    return Donor.objects.filter(Q(user=user) | Q(email__iexact=email))


def receipts_of(donors) -> QuerySet[Receipt]:
    return _receipts(Q(donor__in=donors))


def paid_donations_of(donors) -> QuerySet[Donation]:
    return _paid_donations(Q(donor__in=donors))


def desk_donations_of(donors) -> QuerySet[Donation]:
    """What the treasurer's desk shows of donors: their gifts paid, refunded or taken back by
    the bank (a dispute), each with its status."""
    return (
        Donation.objects.filter(donor__in=donors, status__in=DESK_STATUSES)
        .select_related("receipt", "monthly_gift")
        .order_by("-paid_at", "-pk")
    )


DESK_STATUSES = (Donation.Status.PAID, Donation.Status.REFUNDED, Donation.Status.DISPUTED)


def monthly_gifts_of(donors) -> QuerySet[MonthlyGift]:
    return _monthly_gifts(Q(donor__in=donors))


# What a signed-in reader's account sees: everything of its donors once it has verified its
# email (``donors_of_user``), and, verified or not, what it gave while signed in
# (``placed_by``), never what others gave under that email before.


def _of_account(user) -> Q:
    if not user.is_authenticated:
        return Q(pk__in=[])
    return Q(donor__in=donors_of_user(user)) | Q(placed_by=user)


def paid_donations_of_account(user) -> QuerySet[Donation]:
    return _paid_donations(_of_account(user))


def monthly_gifts_of_account(user) -> QuerySet[MonthlyGift]:
    return _monthly_gifts(_of_account(user))


def receipts_of_account(user) -> QuerySet[Receipt]:
    """Its donors' receipts, and those of which it placed every gift covered (a receipt
    covering someone else's gift names them: not the account's until it is verified). A
    cancelled receipt keeps no gift: only its donors' are seen."""
    if not user.is_authenticated:
        return Receipt.objects.none()
    others = Donation.objects.filter(receipt=OuterRef("pk")).exclude(placed_by=user)
    placed = Receipt.objects.filter(donations__placed_by=user).exclude(Exists(others))
    return _receipts(Q(donor__in=donors_of_user(user)) | Q(pk__in=placed.values("pk")))


def _receipts(which: Q) -> QuerySet[Receipt]:
    return Receipt.objects.filter(which).select_related("replaces").defer("pdf")


def _paid_donations(which: Q) -> QuerySet[Donation]:
    return (
        Donation.objects.filter(which, status__in=(Donation.Status.PAID, Donation.Status.REFUNDED))
        .select_related("receipt", "monthly_gift", "mandate")
        .order_by("-paid_at")
    )


def _monthly_gifts(which: Q) -> QuerySet[MonthlyGift]:
    return MonthlyGift.objects.filter(
        which, status__in=(MonthlyGift.Status.ACTIVE, MonthlyGift.Status.STOPPED)
    ).select_related("mandate")


# --- The treasurer's desk -------------------------------------------------------------------


def _filtered(queryset: QuerySet, filters: dict, lookups: dict, donor_fields: tuple) -> QuerySet:
    """Apply ``RegisterFilterForm``'s cleaned data: ``lookups`` maps each filter to the
    queryset's lookup, ``donor_fields`` are searched for the donor's name or email."""
    for name, lookup in lookups.items():
        value = filters.get(name)
        if value not in (None, ""):
            queryset = queryset.filter(**{lookup: value})
    if filters.get("donor"):
        words = filters["donor"].strip()
        match = Q()
        for field in donor_fields:
            match |= Q(**{f"{field}__icontains": words})
        queryset = queryset.filter(match)
    return queryset


RECEIPT_LOOKUPS = {
    "year": "year",
    "date_from": "issued_at__date__gte",
    "date_to": "issued_at__date__lte",
    "status": "status",
    "kind": "kind",
    "amount_min": "amount__gte",
    "amount_max": "amount__lte",
}
DONATION_LOOKUPS = {
    "year": "paid_at__year",
    "date_from": "paid_at__date__gte",
    "date_to": "paid_at__date__lte",
    "status": "status",
    "amount_min": "amount__gte",
    "amount_max": "amount__lte",
}


def filter_receipts(receipts: QuerySet[Receipt], filters: dict) -> QuerySet[Receipt]:
    return _filtered(
        receipts,
        filters,
        RECEIPT_LOOKUPS,
        ("donor_last_name", "donor_first_names", "donor__email", "number"),
    )


def register(filters: dict) -> QuerySet[Receipt]:
    """The receipts the treasurer asked for, in number order (oldest first)."""
    return filter_receipts(
        Receipt.objects.select_related("donor", "replaces", "cancelled_by").defer("pdf"), filters
    ).order_by("year", "sequence")


def totals(receipts: QuerySet[Receipt]) -> dict:
    """Count and amount of the receipts in force (issued, not cancelled), and of all."""
    in_force = receipts.filter(status=Receipt.Status.ISSUED)
    return {
        "count": receipts.count(),
        "in_force_count": in_force.count(),
        "in_force_amount": in_force.aggregate(total=Sum("amount"))["total"] or Decimal("0.00"),
        "cancelled_count": receipts.filter(status=Receipt.Status.CANCELLED).count(),
    }


DONOR_SEARCH = ("donor__last_name", "donor__first_name", "donor__email")


def filter_donations(donations: QuerySet[Donation], filters: dict) -> QuerySet[Donation]:
    return _by_kind_and_method(
        _filtered(donations, filters, DONATION_LOOKUPS, DONOR_SEARCH), filters
    )


# The desk's follow-up of payments that are not (or no longer) money: a debit the bank has
# not answered yet, a debit or a monthly payment refused (a card refused in the payment page
# is not listed: the donor saw it and nothing was expected), a payment reversed by the bank.
FOLLOW_UP = {
    Donation.Status.PROCESSING: Q(status=Donation.Status.PROCESSING),
    Donation.Status.FAILED: Q(status=Donation.Status.FAILED)
    & (
        Q(invoice_id__isnull=False)
        | Q(method=Donation.Method.DIRECT_DEBIT)
        | Q(mandate__isnull=False)
    ),
    Donation.Status.DISPUTED: Q(status=Donation.Status.DISPUTED),
}
# Those are dated when they were made: they have no payment date.
UNPAID_LOOKUPS = {
    **DONATION_LOOKUPS,
    "year": "created_at__year",
    "date_from": "created_at__date__gte",
    "date_to": "created_at__date__lte",
}


def donations_list(filters: dict) -> QuerySet[Donation]:
    """The gifts paid (refunded ones included), newest first; or, filtered by one of
    ``FOLLOW_UP``'s statuses, those payments, newest first."""
    related = ("donor", "receipt", "monthly_gift", "mandate")
    follow_up = FOLLOW_UP.get(filters.get("status"))
    if follow_up is not None:
        donations = Donation.objects.filter(follow_up).select_related(*related)
        unpaid = _filtered(donations, filters, UNPAID_LOOKUPS, DONOR_SEARCH)
        return _by_kind_and_method(unpaid, filters).order_by("-created_at", "-pk")
    paid = Donation.objects.filter(
        status__in=(Donation.Status.PAID, Donation.Status.REFUNDED)
    ).select_related(*related)
    return filter_donations(paid, filters).order_by("-paid_at")


def _by_kind_and_method(donations: QuerySet[Donation], filters: dict) -> QuerySet[Donation]:
    if filters.get("kind"):
        donations = donations.filter(monthly_gift__isnull=filters["kind"] == "one_off")
    if filters.get("method"):
        donations = donations.filter(method=filters["method"])
    return donations


def donations_totals(donations: QuerySet[Donation]) -> dict:
    sums = donations.aggregate(amount=Sum("amount"), refunded=Sum("amount_refunded"))
    amount = sums["amount"] or Decimal("0.00")
    refunded = sums["refunded"] or Decimal("0.00")
    return {"count": donations.count(), "amount": amount, "refunded": refunded,
            "kept": amount - refunded}  # fmt: skip


def unpaid_donations_of(donor: Donor) -> QuerySet[Donation]:
    """A donor's debits in progress, payments refused and reversed, for their desk page."""
    follow_up = Q()
    for which in FOLLOW_UP.values():
        follow_up |= which
    return (
        Donation.objects.filter(follow_up, donor=donor)
        .select_related("monthly_gift", "mandate")
        .order_by("-created_at")
    )


def follow_up_counts() -> dict:
    """What the desk's front page points at: payments not (or no longer) money, and the
    monthly gifts whose latest payment was refused."""
    counts = Donation.objects.aggregate(
        **{status: Count("pk", filter=which) for status, which in FOLLOW_UP.items()}
    )
    counts["lapsed"] = MonthlyGift.objects.filter(monthly_state("lapsed")).count()
    return counts


def monthly_gifts_list(filters: dict) -> QuerySet[MonthlyGift]:
    """The monthly gifts, newest first, by ``MONTHLY_STATES`` and method."""
    # Not the payment pages left unpaid or refused there (the donor saw it): never started.
    never_started = Q(
        status__in=(MonthlyGift.Status.PENDING, MonthlyGift.Status.FAILED),
        started_at__isnull=True,
        lapsed_at__isnull=True,
    )
    gifts = MonthlyGift.objects.select_related("donor", "mandate").exclude(never_started)
    if filters.get("state"):
        gifts = gifts.filter(monthly_state(filters["state"]))
    if filters.get("method"):
        gifts = gifts.filter(method=filters["method"])
    if filters.get("donor"):
        words = filters["donor"].strip()
        gifts = gifts.filter(
            Q(donor__last_name__icontains=words)
            | Q(donor__first_name__icontains=words)
            | Q(donor__email__icontains=words)
        )
    return gifts.order_by("-created_at", "-pk")


MONTHLY_STATES = ("active", "lapsed", "recovered", "paused", "stopped")


def monthly_state(state: str) -> Q:
    """Lapsed: its latest payment was refused and none went through since (still running);
    recovered: a payment went through after a refusal."""
    running = Q(status__in=(MonthlyGift.Status.ACTIVE, MonthlyGift.Status.PENDING))
    not_recovered = Q(recovered_at__isnull=True) | Q(recovered_at__lt=F("lapsed_at"))
    return {
        "active": Q(status=MonthlyGift.Status.ACTIVE),
        "lapsed": running & Q(lapsed_at__isnull=False) & not_recovered,
        "recovered": Q(lapsed_at__isnull=False, recovered_at__gte=F("lapsed_at")),
        "paused": Q(status=MonthlyGift.Status.ACTIVE, paused_until__gte=timezone.localdate()),
        "stopped": Q(status__in=(MonthlyGift.Status.STOPPED, MonthlyGift.Status.FAILED)),
    }[state]


def monthly_gifts_totals(gifts: QuerySet[MonthlyGift]) -> dict:
    """How many gifts the list shows, and what of them runs: what a month brings in counts
    only the gifts debited (active, not paused); the paused and the stopped are told apart."""
    zero = Decimal("0.00")
    running = monthly_state("active") & ~monthly_state("paused")
    row = gifts.aggregate(
        count=Count("pk"),
        running=Count("pk", filter=running),
        running_amount=Sum("amount", filter=running, default=zero),
        paused=Count("pk", filter=monthly_state("paused")),
        paused_amount=Sum("amount", filter=monthly_state("paused"), default=zero),
        stopped=Count("pk", filter=monthly_state("stopped")),
    )
    # Neither running nor stopped: its first payment not made yet (or refused).
    row["amount"] = row.pop("running_amount")  # what a month brings in
    row["waiting"] = row["count"] - row["running"] - row["paused"] - row["stopped"]
    return row


def declaration(year: int) -> dict:
    """The yearly declaration (art. 222 bis CGI): receipts issued in ``year`` and in force,
    their count and total, and the same by month of issue."""
    receipts = Receipt.objects.filter(year=year, status=Receipt.Status.ISSUED)
    by_month = {
        row["month"].month: (row["count"], row["amount"])
        for row in receipts.annotate(month=TruncMonth("issued_at"))
        .values("month")
        .annotate(count=Count("pk"), amount=Sum("amount"))
    }
    months = [(month, *by_month.get(month, (0, Decimal("0.00")))) for month in range(1, 13)]
    return {
        "year": year,
        "count": sum(count for _, count, _ in months),
        "amount": sum((amount for _, _, amount in months), Decimal("0.00")),
        "months": months,
    }


def gifts_by_month(year: int) -> list[dict]:
    """What was given each month of ``year`` (and kept: refunds deducted), one-off and monthly."""
    rows = (
        Donation.objects.filter(
            status__in=(Donation.Status.PAID, Donation.Status.REFUNDED), paid_at__year=year
        )
        .annotate(month=TruncMonth("paid_at"))
        .values("month")
        .annotate(
            one_off=Sum(F("amount") - F("amount_refunded"), filter=Q(monthly_gift__isnull=True)),
            monthly=Sum(F("amount") - F("amount_refunded"), filter=Q(monthly_gift__isnull=False)),
        )
    )
    by_month = {row["month"].month: row for row in rows}
    zero = Decimal("0.00")
    return [
        {
            "month": month,
            "one_off": by_month.get(month, {}).get("one_off") or zero,
            "monthly": by_month.get(month, {}).get("monthly") or zero,
        }
        for month in range(1, 13)
    ]


def donors_of_year(year: int):
    """One line per donor with what they gave in ``year`` (refunds deducted), for letters."""
    return (
        Donor.objects.filter(
            donations__status__in=(Donation.Status.PAID, Donation.Status.REFUNDED),
            donations__paid_at__year=year,
        )
        .annotate(
            gifts=Count("donations"),
            total=Sum(F("donations__amount") - F("donations__amount_refunded")),
        )
        .filter(total__gt=0)
        .order_by("last_name", "first_name")
    )


def treasury_log() -> QuerySet[TreasuryLog]:
    return TreasuryLog.objects.select_related("user")


def archives(limit: int = 10) -> QuerySet[ReceiptArchive]:
    return ReceiptArchive.objects.select_related("requested_by")[:limit]
