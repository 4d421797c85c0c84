"""An issue on sale: one product in Oscar's catalogue (a parent: the card and the page) with
its editions as children, print (posted, stocked) and PDF (downloaded). The writes; the reads
are in ``selectors``.

Staff put an issue on sale from the dashboard's issue form (prices given); the demo does the
same. Existing print and PDF products were made children of one parent by migration 0004.
"""

from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from oscar.core.loading import get_model

from magazine.catalogue import DIGITAL_ISSUE, ISSUE, PRINT_ISSUE
from magazine.models import Issue

Category = get_model("catalogue", "Category")
Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductClass = get_model("catalogue", "ProductClass")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")

ISSUES_CATEGORY = "Numéros"
UPC_PREFIX = "ECHO"
# (product class, UPC suffix, what the title says): print first, as on the issue's page.
EDITIONS = ((PRINT_ISSUE, "P", "papier"), (DIGITAL_ISSUE, "N", "PDF"))


def issue_product(number: int):
    """The parent product of issue ``number``, or None."""
    return (
        Product.objects.filter(
            structure=Product.PARENT,
            product_class__slug=ISSUE.slug,
            attribute_values__attribute__code="issue_number",
            attribute_values__value_integer=number,
        )
        .order_by("pk")
        .first()
    )


@transaction.atomic
def put_issue_on_sale(
    *,
    issue: Issue,
    print_price: Decimal,
    pdf_price: Decimal,
    print_stock: int | None = None,
    description: str | None = None,
    magazine: str | None = None,
    partner=None,
):
    """Create or update the issue's product and its two editions, at the prices given.

    ``print_stock`` sets the copies on hand (None keeps what is recorded; a new print edition
    then starts at 0). The cover becomes the product's image once. Returns the parent.
    """
    partner = partner or Partner.objects.order_by("pk").first()
    if partner is None:
        raise ValueError("No partner sells the magazine: create one in the dashboard.")
    magazine = magazine or partner.name
    title = f"{magazine} n°{issue.number} — {issue.title}"
    parent = issue_product(issue.number) or Product(
        structure=Product.PARENT, upc=f"{UPC_PREFIX}-{issue.number:03d}"
    )
    parent.title = title
    parent.product_class = ProductClass.objects.get(slug=ISSUE.slug)
    parent.is_public = True
    if description is not None:
        parent.description = description
    parent.attr.issue_number = issue.number
    parent.save()
    category = Category.objects.filter(name=ISSUES_CATEGORY, depth=1).first()
    if category is None:
        category = Category.add_root(name=ISSUES_CATEGORY, is_public=True)
    ProductCategory.objects.get_or_create(product=parent, category=category)
    if issue.cover and not parent.images.exists():
        with issue.cover.open("rb") as cover:
            image = ProductImage(product=parent, display_order=0, caption=title)
            image.original.save(f"numero-{issue.number}.png", ContentFile(cover.read()))
    prices = {PRINT_ISSUE.slug: print_price, DIGITAL_ISSUE.slug: pdf_price}
    for spec, suffix, label in EDITIONS:
        child = parent.children.filter(product_class__slug=spec.slug).first() or Product(
            structure=Product.CHILD,
            parent=parent,
            upc=f"{UPC_PREFIX}-{issue.number:03d}-{suffix}",
        )
        child.title = f"{title} ({label})"
        child.product_class = ProductClass.objects.get(slug=spec.slug)
        child.is_public = True
        child.attr.issue_number = issue.number
        child.save()
        stocked = spec.track_stock
        record = StockRecord.objects.filter(product=child, partner=partner).first()
        if record is None:
            record = StockRecord(
                product=child,
                partner=partner,
                partner_sku=child.upc,
                num_in_stock=0 if stocked else None,
                num_allocated=0 if stocked else None,
            )
        record.price_currency = "EUR"
        record.price = prices[spec.slug]
        if stocked and print_stock is not None:
            record.num_in_stock = print_stock
        record.save()
    return parent
