"""Demonstration data, Oscar's part: the site, the countries, and the helpers that put a
product on sale (partner, categories, stock, image). What is sold is the magazine's
(magazine/demo.py); demo/ loads every app's seeder in order.

Every step looks things up by a stable key (UPC, code, name) and brings them to the values
given, so running it again changes nothing.
"""

from django.core.files.base import ContentFile
from oscar.core.loading import get_model

from kiosque.sites import sync_current_site
from shop.services import ensure_countries

Category = get_model("catalogue", "Category")
Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductClass = get_model("catalogue", "ProductClass")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")


def seed() -> None:
    sync_current_site()
    ensure_countries()


def partner(*, code: str, name: str):
    partner, _ = Partner.objects.update_or_create(code=code, defaults={"name": name})
    return partner


def category(name: str):
    category = Category.objects.filter(name=name, depth=1).first()
    if category is None:
        category = Category.add_root(name=name, is_public=True)
    return category


def product(
    *,
    upc,
    title,
    product_class_slug,
    price,
    partner,
    category,
    attributes,
    num_in_stock,
    image,
    description,
):
    """A standalone product on sale in euros, with its attributes and its image (PNG)."""
    product_class = ProductClass.objects.get(slug=product_class_slug)
    product, _ = Product.objects.update_or_create(
        upc=upc,
        defaults={
            "title": title,
            "product_class": product_class,
            "structure": Product.STANDALONE,
            "description": description,
            "is_public": True,
        },
    )
    for code, value in attributes.items():
        setattr(product.attr, code, value)
    product.attr.save()
    ProductCategory.objects.get_or_create(product=product, category=category)
    StockRecord.objects.update_or_create(
        product=product,
        partner=partner,
        defaults={
            "partner_sku": upc,
            "price_currency": "EUR",
            "price": price,
            "num_in_stock": num_in_stock,
            "num_allocated": 0 if num_in_stock is not None else None,
        },
    )
    if not product.images.exists():
        picture = ProductImage(product=product, display_order=0, caption=title)
        picture.original.save(f"{upc.lower()}.png", ContentFile(image), save=False)
        picture.save()
    return product
