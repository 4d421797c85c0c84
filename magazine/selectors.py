import html
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.utils.html import strip_tags
from oscar.core.loading import get_model

from accounts.selectors import verified_email
from magazine.catalogue import (
    DIGITAL_ISSUE,
    DIGITAL_SUBSCRIPTION,
    ISSUE,
    PRINT_AND_DIGITAL_SUBSCRIPTION,
    PRINT_ISSUE,
    PRINT_SUBSCRIPTION,
    SUBSCRIPTION_CLASSES,
)
from magazine.models import Entitlement, Issue, NewsletterSubscriber, Subscription
from shop.shipping import postage

Product = get_model("catalogue", "Product")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
Order = get_model("order", "Order")
Line = get_model("order", "Line")
Country = get_model("address", "Country")

# Order statuses whose print issues are no longer to be posted (see OSCAR_ORDER_STATUS_PIPELINE).
POSTED_OR_CANCELLED = ("Expédiée", "Annulée")


def _public_products() -> QuerySet:
    # Oscar's base queryset: what the product cards use, fetched for all at once.
    return Product.objects.browsable().base_queryset()


def issues_on_sale(limit: int | None = None) -> QuerySet:
    """The issues (one product each, its editions as children), newest number first."""
    issues = (
        _public_products()
        .filter(
            product_class__slug=ISSUE.slug,
            attribute_values__attribute__code="issue_number",
        )
        .annotate(issue_number=Max("attribute_values__value_integer"))
        .order_by("-issue_number", "-pk")
    )
    return issues[:limit] if limit else issues


def issues_by_number(numbers) -> dict[int, Issue]:
    """The Issue records (date, cover, contents) of the issue numbers given."""
    return {issue.number: issue for issue in Issue.objects.filter(number__in=set(numbers))}


def issue_records(products) -> dict[int, Issue]:
    """{product id: its Issue} for the given issue products, in two queries."""
    numbers = dict(
        ProductAttributeValue.objects.filter(
            product__in=[product.pk for product in products], attribute__code="issue_number"
        ).values_list("product_id", "value_integer")
    )
    issues = issues_by_number(numbers.values())
    return {pk: issues[number] for pk, number in numbers.items() if number in issues}


def first_issue_of_new_subscriptions() -> Issue | None:
    """The issue a subscription bought today starts with (None if not planned yet)."""
    return Issue.objects.filter(number=next_issue_number()).first()


def subscriptions_on_sale() -> QuerySet:
    return _public_products().filter(product_class__slug__in=SUBSCRIPTION_CLASSES).order_by("title")


def issue_on_sale_initial(number: int) -> dict:
    """The dashboard's issue form, as the issue is on sale: description, prices, copies."""
    parent = Product.objects.filter(
        structure=Product.PARENT,
        product_class__slug=ISSUE.slug,
        attribute_values__attribute__code="issue_number",
        attribute_values__value_integer=number,
    ).first()
    if parent is None:
        return {}
    text = html.unescape(strip_tags(parent.description.replace("</p>", "</p>\n\n")))
    initial = {"description": "\n".join(line.strip() for line in text.strip().splitlines())}
    for child in parent.children.prefetch_related("stockrecords").select_related("product_class"):
        record = child.stockrecords.first()
        if record is None:
            continue
        if child.product_class and child.product_class.slug == PRINT_ISSUE.slug:
            initial.update(print_price=record.price, print_stock=record.num_in_stock)
        elif child.product_class and child.product_class.slug == DIGITAL_ISSUE.slug:
            initial["pdf_price"] = record.price
    return initial


@dataclass(frozen=True)
class Edition:
    """One edition of an issue, as its page offers it: print or PDF, its price, its postage."""

    product: object
    is_print: bool
    price: Decimal | None
    postage: Decimal
    available: bool


def editions_of(product, strategy) -> list[Edition]:
    """The public editions of an issue (print first), priced by the reader's ``strategy``."""
    found = []
    for child in product.get_public_children():
        info = strategy.fetch_for_product(child)
        slug = child.get_product_class().slug
        found.append(
            Edition(
                product=child,
                is_print=slug == PRINT_ISSUE.slug,
                price=info.price.incl_tax if info.price.exists else None,
                postage=settings.KIOSQUE_POSTAGE_CHARGE
                if postage.is_charged(slug)
                else Decimal("0.00"),
                available=info.availability.is_available_to_buy,
            )
        )
    return sorted(found, key=lambda edition: not edition.is_print)


WITH_PRINT = (PRINT_SUBSCRIPTION.slug, PRINT_AND_DIGITAL_SUBSCRIPTION.slug)
WITH_DIGITAL = (DIGITAL_SUBSCRIPTION.slug, PRINT_AND_DIGITAL_SUBSCRIPTION.slug)


@dataclass(frozen=True)
class Formula:
    """A subscription on sale, as the comparison shows it."""

    product: object
    includes_print: bool
    includes_digital: bool
    term: int | None
    price: Decimal | None


def subscription_formulas(strategy) -> list[Formula]:
    """The subscriptions on sale, cheapest first, priced by the reader's ``strategy``."""
    formulas = []
    for product in subscriptions_on_sale().prefetch_related("attribute_values__attribute"):
        slug = product.get_product_class().slug
        info = strategy.fetch_for_product(product)
        formulas.append(
            Formula(
                product=product,
                includes_print=slug
                in (PRINT_SUBSCRIPTION.slug, PRINT_AND_DIGITAL_SUBSCRIPTION.slug),
                includes_digital=slug
                in (DIGITAL_SUBSCRIPTION.slug, PRINT_AND_DIGITAL_SUBSCRIPTION.slug),
                term=next(
                    (
                        value.value_integer
                        for value in product.attribute_values.all()
                        if value.attribute.code == "term_in_issues"
                    ),
                    None,
                ),
                price=info.price.incl_tax if info.price.exists else None,
            )
        )
    return sorted(formulas, key=lambda formula: (formula.price is None, formula.price))


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
