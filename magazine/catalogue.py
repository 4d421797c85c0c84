"""How the magazine is sold through Oscar's catalogue: its product classes and attributes.

Oscar decides shipping and stock per product class, so each way of selling the magazine
is a class of its own. The classes are created by this app's migration 0001.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ProductClassSpec:
    slug: str
    name: str
    requires_shipping: bool
    track_stock: bool
    attributes: tuple[tuple[str, str, str], ...]  # (code, name, type)


# The names are shown to readers (the product page's table) and staff: in French, like the
# classes' names (data, not translated strings); migration 0004 renamed the English ones.
ISSUE_NUMBER = ("issue_number", "Numéro", "integer")
TERM_IN_ISSUES = ("term_in_issues", "Nombre de numéros", "integer")

PRINT_ISSUE = ProductClassSpec("numero-papier", "Numéro papier", True, True, (ISSUE_NUMBER,))
DIGITAL_ISSUE = ProductClassSpec(
    "numero-numerique", "Numéro numérique", False, False, (ISSUE_NUMBER,)
)
# A subscription that includes print is posted; a digital-only one is not.
PRINT_SUBSCRIPTION = ProductClassSpec(
    "abonnement-papier", "Abonnement papier", True, False, (TERM_IN_ISSUES,)
)
PRINT_AND_DIGITAL_SUBSCRIPTION = ProductClassSpec(
    "abonnement-papier-numerique",
    "Abonnement papier + numérique",
    True,
    False,
    (TERM_IN_ISSUES,),
)
DIGITAL_SUBSCRIPTION = ProductClassSpec(
    "abonnement-numerique", "Abonnement numérique", False, False, (TERM_IN_ISSUES,)
)

PRODUCT_CLASSES = (
    PRINT_ISSUE,
    DIGITAL_ISSUE,
    PRINT_SUBSCRIPTION,
    PRINT_AND_DIGITAL_SUBSCRIPTION,
    DIGITAL_SUBSCRIPTION,
)
ISSUE_CLASSES = (PRINT_ISSUE.slug, DIGITAL_ISSUE.slug)
SUBSCRIPTION_CLASSES = (
    PRINT_SUBSCRIPTION.slug,
    PRINT_AND_DIGITAL_SUBSCRIPTION.slug,
    DIGITAL_SUBSCRIPTION.slug,
)


# Basket line options for subscriptions (not on the product page's form: Kiosque's own pages
# set them). Oscar carries them from the basket line to the order line.
GIFT_OPTION = ("gift", "Abonnement offert")  # JSON: recipient's name, email, address, message
RENEWS_OPTION = ("renews", "Renouvellement de l'abonnement")  # the renewed subscription's id


def ensure_product_classes(apps) -> None:
    """Create or update the product classes and line options; ``apps`` is a migration's or
    django.apps.apps.

    The migration creates them; the demo loader calls it again so that a flushed database
    (as tests flush it) gets them back.
    """
    ProductClass = apps.get_model("catalogue", "ProductClass")
    ProductAttribute = apps.get_model("catalogue", "ProductAttribute")
    for spec in PRODUCT_CLASSES:
        product_class, _ = ProductClass.objects.update_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "requires_shipping": spec.requires_shipping,
                "track_stock": spec.track_stock,
            },
        )
        for code, name, type_ in spec.attributes:
            ProductAttribute.objects.update_or_create(
                product_class=product_class,
                code=code,
                defaults={"name": name, "type": type_, "required": True},
            )
    Option = apps.get_model("catalogue", "Option")
    for code, name in (GIFT_OPTION, RENEWS_OPTION):
        Option.objects.update_or_create(
            code=code, defaults={"name": name, "type": "text", "required": False}
        )
