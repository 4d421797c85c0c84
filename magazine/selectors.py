from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from oscar.core.loading import get_model

from accounts.selectors import verified_email
from magazine.catalogue import ISSUE_CLASSES, PRINT_ISSUE, SUBSCRIPTION_CLASSES
from magazine.models import Entitlement, Issue, NewsletterSubscriber, Subscription

Product = get_model("catalogue", "Product")
Order = get_model("order", "Order")
Line = get_model("order", "Line")
Country = get_model("address", "Country")

# Order statuses whose print issues are no longer to be posted (see OSCAR_ORDER_STATUS_PIPELINE).
POSTED_OR_CANCELLED = ("Expédiée", "Annulée")


def _public_products() -> QuerySet:
    # Oscar's base queryset: what the product cards use, fetched for all at once.
    return Product.objects.browsable().base_queryset()


def issues_on_sale(limit: int = 6) -> QuerySet:
    """Single issues, newest first (print before PDF for the same issue)."""
    return (
        _public_products()
        .filter(product_class__slug__in=ISSUE_CLASSES)
        .order_by("-date_created", "product_class__slug")[:limit]
    )


def subscriptions_on_sale() -> QuerySet:
    return _public_products().filter(product_class__slug__in=SUBSCRIPTION_CLASSES).order_by("title")


def next_issue_number() -> int:
    """The next issue not yet published: where a new subscription starts."""
    planned = Issue.objects.filter(status=Issue.Status.PLANNED).order_by("number").first()
    if planned is not None:
        return planned.number
    last = Issue.objects.aggregate(last=Max("number"))["last"]
    return (last or 0) + 1


def with_remaining(subscriptions: QuerySet) -> QuerySet:
    """Subscriptions annotated with ``issues_served`` (the remaining count is the term less it)."""
    return subscriptions.annotate(issues_served=Count("served"))


def remaining_issues(subscription: Subscription) -> int:
    served = getattr(subscription, "issues_served", None)
    if served is None:
        served = subscription.served.count()
    return max(subscription.last_issue - subscription.first_issue + 1 - served, 0)


def _by_email(field: str, user) -> Q:
    """Rows under the account's email, once it is verified (else none: Q(pk__in=[]))."""
    email = verified_email(user)
    return Q(**{f"{field}__iexact": email}) if email else Q(pk__in=[])


def subscriptions_of(user) -> QuerySet[Subscription]:
    """What a reader receives: theirs, and gifts sent to their email once it is verified."""
    return with_remaining(
        Subscription.objects.filter(Q(user=user) | _by_email("recipient_email", user))
        .select_related("product", "renewed_by")
        .order_by("-last_issue")
    )


def gifts_given_by(user) -> QuerySet[Subscription]:
    """Gifts bought while signed in, and under the account's email once it is verified."""
    return Subscription.objects.filter(
        Q(order_line__order__user=user) | _by_email("buyer_email", user), is_gift=True
    ).select_related("product")


def orders_of(user) -> QuerySet:
    """The reader's orders: placed while signed in, or as a guest under their verified email
    (those before the verification are linked to the account by it)."""
    return (
        Order.objects.filter(Q(user=user) | _by_email("guest_email", user))
        .prefetch_related("sources")  # their status reads their refunds (shop.order_words)
        .order_by("-date_placed")
    )


def entitlements_of(user) -> QuerySet[Entitlement]:
    return (
        Entitlement.objects.filter(Q(user=user) | _by_email("email", user))
        .select_related("issue")
        .order_by("-issue__number")
    )


def entitlement_for(user, number: int) -> Entitlement | None:
    return entitlements_of(user).filter(issue__number=number).first()


def covering(number: int) -> QuerySet[Subscription]:
    return Subscription.objects.filter(
        status=Subscription.Status.ACTIVE, first_issue__lte=number, last_issue__gte=number
    )


@dataclass(frozen=True)
class Parcel:
    """One line of the printer's routing list: one envelope."""

    reference: str
    name: str
    line1: str
    line2: str
    postcode: str
    city: str
    country_code: str
    country: str
    quantity: int


def _country_names() -> dict[str, str]:
    return dict(Country.objects.values_list("iso_3166_1_a2", "printable_name"))


def routing_list(number: int) -> list[Parcel]:
    """Everything to post for issue ``number``: print subscriptions covering it, then paid
    orders of the print issue not yet shipped, one parcel per subscription or order."""
    names = _country_names()
    parcels = []
    for subscription in (
        covering(number)
        .filter(format__in=(Subscription.Format.PRINT, Subscription.Format.BOTH))
        .order_by("pk")
    ):
        address = subscription.address
        code = address.get("country", "")
        parcels.append(
            Parcel(
                reference=f"ABO-{subscription.pk}",
                name=subscription.recipient_name,
                line1=address.get("line1", ""),
                line2=address.get("line2", ""),
                postcode=address.get("postcode", ""),
                city=address.get("city", ""),
                country_code=code,
                country=names.get(code, code),
                quantity=1,
            )
        )
    lines = (
        Line.objects.filter(
            product__product_class__slug=PRINT_ISSUE.slug,
            product__attribute_values__attribute__code="issue_number",
            product__attribute_values__value_integer=number,
        )
        .exclude(order__status__in=POSTED_OR_CANCELLED)
        .select_related("order__shipping_address__country")
        .order_by("order_id")
    )
    quantities = Counter()
    orders = {}
    for line in lines:
        quantities[line.order_id] += line.quantity
        orders[line.order_id] = line.order
    for order_id, quantity in quantities.items():
        order = orders[order_id]
        address = order.shipping_address
        if address is None:
            continue
        parcels.append(
            Parcel(
                reference=f"CMD-{order.number}",
                name=address.name,
                line1=address.line1,
                line2=" ".join(part for part in (address.line2, address.line3) if part),
                postcode=address.postcode,
                city=address.line4,
                country_code=address.country_id,
                country=address.country.printable_name,
                quantity=quantity,
            )
        )
    return parcels


def count_by_country(parcels: list[Parcel]) -> list[tuple[str, int, int]]:
    """(country, parcels, copies), most parcels first."""
    counts: dict[str, list[int]] = {}
    for parcel in parcels:
        entry = counts.setdefault(parcel.country, [0, 0])
        entry[0] += 1
        entry[1] += parcel.quantity
    return sorted(
        ((country, n, copies) for country, (n, copies) in counts.items()),
        key=lambda row: (-row[1], row[0]),
    )


def confirmed_newsletter_subscribers() -> QuerySet[NewsletterSubscriber]:
    return NewsletterSubscriber.objects.filter(
        status=NewsletterSubscriber.Status.CONFIRMED
    ).order_by("consent_at")
