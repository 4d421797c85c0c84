"""An issue becomes one product with its editions: the print and PDF products of one issue
(standalone until now) become the children of a new parent product of class "numero".

The products keep their rows, ids, UPCs, classes, prices and stock: order lines, subscriptions
and entitlements pointing at them are untouched. The parent takes the categories (Oscar keeps
them off children) and one of the editions' images. The attributes' names become French.
"""

import re

from django.db import migrations, models
from django.utils.text import slugify

ISSUE_CLASSES = ("numero-papier", "numero-numerique")
EDITION_SUFFIX = re.compile(r"\s*\((papier|pdf|numérique)\)\s*$", re.IGNORECASE)


def _issue_number(apps, product):
    Value = apps.get_model("catalogue", "ProductAttributeValue")
    value = Value.objects.filter(product=product, attribute__code="issue_number").first()
    return value.value_integer if value else None


def editions_under_one_parent(apps, schema_editor):
    from magazine.catalogue import ensure_product_classes

    ensure_product_classes(apps)
    Product = apps.get_model("catalogue", "Product")
    ProductClass = apps.get_model("catalogue", "ProductClass")
    ProductCategory = apps.get_model("catalogue", "ProductCategory")
    ProductImage = apps.get_model("catalogue", "ProductImage")
    Attribute = apps.get_model("catalogue", "ProductAttribute")
    Value = apps.get_model("catalogue", "ProductAttributeValue")
    issue_class = ProductClass.objects.get(slug="numero")
    number_attribute = Attribute.objects.get(product_class=issue_class, code="issue_number")
    by_number = {}
    for product in Product.objects.filter(
        structure="standalone", product_class__slug__in=ISSUE_CLASSES
    ).order_by("pk"):
        number = _issue_number(apps, product)
        if number is not None:
            by_number.setdefault(number, []).append(product)
    for number in sorted(by_number):
        editions = by_number[number]
        # Print first: its title and description speak for the issue.
        editions.sort(key=lambda product: product.product_class.slug != "numero-papier")
        title = EDITION_SUFFIX.sub("", editions[0].title) or f"n°{number}"
        upc = f"{(editions[0].upc or '').rsplit('-', 1)[0]}" or None
        if upc and Product.objects.filter(upc=upc).exists():
            upc = None
        parent = Product.objects.create(
            structure="parent",
            product_class=issue_class,
            title=title,
            slug=slugify(title)[:255] or f"numero-{number}",
            upc=upc,
            description=editions[0].description,
            is_public=any(product.is_public for product in editions),
            is_discountable=True,
        )
        Value.objects.create(product=parent, attribute=number_attribute, value_integer=number)
        links = ProductCategory.objects.filter(product__in=editions)
        for category_id in sorted(set(links.values_list("category_id", flat=True))):
            ProductCategory.objects.create(product=parent, category_id=category_id)
        links.delete()
        images = ProductImage.objects.filter(product__in=editions).order_by("display_order", "pk")
        first = images.first()
        if first is not None:
            ProductImage.objects.filter(pk=first.pk).update(product=parent, display_order=0)
            # The other editions' images (the same cover) leave the catalogue; their files stay.
            ProductImage.objects.filter(product__in=editions).delete()
        for product in editions:
            product.parent = parent
            product.structure = "child"
            product.save(update_fields=["parent", "structure"])


def editions_standalone_again(apps, schema_editor):
    Product = apps.get_model("catalogue", "Product")
    Value = apps.get_model("catalogue", "ProductAttributeValue")
    ProductCategory = apps.get_model("catalogue", "ProductCategory")
    ProductImage = apps.get_model("catalogue", "ProductImage")
    for parent in Product.objects.filter(structure="parent", product_class__slug="numero"):
        children = list(Product.objects.filter(parent=parent))
        categories = list(
            ProductCategory.objects.filter(product=parent).values_list("category_id", flat=True)
        )
        images = list(ProductImage.objects.filter(product=parent))
        for child in children:
            child.parent = None
            child.structure = "standalone"
            child.save(update_fields=["parent", "structure"])
            for category_id in categories:
                ProductCategory.objects.create(product=child, category_id=category_id)
            for image in images:
                ProductImage.objects.create(
                    product=child,
                    original=image.original.name,
                    caption=image.caption,
                    display_order=image.display_order,
                )
        # Without Django's cascade, whose look-ups would use other apps' models as they
        # stood before their later migrations: the parent's own rows, then itself.
        Value.objects.filter(product=parent).delete()
        ProductCategory.objects.filter(product=parent).delete()
        ProductImage.objects.filter(product=parent).delete()
        Product.objects.filter(pk=parent.pk)._raw_delete(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("magazine", "0004_attribute_names_in_french"),
        ("catalogue", "0032_category_exclude_from_menu_category_long_description"),
    ]

    operations = [
        migrations.AddField(
            model_name="issue",
            name="summary",
            field=models.TextField(
                blank=True, help_text="The issue's articles, one per line.", verbose_name="contents"
            ),
        ),
        migrations.RunPython(editions_under_one_parent, editions_standalone_again),
    ]
