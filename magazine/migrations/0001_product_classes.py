from django.db import migrations


def create_product_classes(apps, schema_editor):
    from magazine.catalogue import PRODUCT_CLASSES

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


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0032_category_exclude_from_menu_category_long_description")]

    operations = [migrations.RunPython(create_product_classes, migrations.RunPython.noop)]
