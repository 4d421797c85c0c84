from django.db.models import QuerySet
from oscar.core.loading import get_model

from magazine.catalogue import ISSUE_CLASSES, SUBSCRIPTION_CLASSES

Product = get_model("catalogue", "Product")


def _public_products() -> QuerySet:
    return (
        Product.objects.browsable()
        .filter(is_public=True)
        .select_related("product_class")
        .prefetch_related("images", "stockrecords")
    )


def issues_on_sale(limit: int = 6) -> QuerySet:
    """Single issues, newest first (print before PDF for the same issue)."""
    return (
        _public_products()
        .filter(product_class__slug__in=ISSUE_CLASSES)
        .order_by("-date_created", "product_class__slug")[:limit]
    )


def subscriptions_on_sale() -> QuerySet:
    return _public_products().filter(product_class__slug__in=SUBSCRIPTION_CLASSES).order_by("title")
