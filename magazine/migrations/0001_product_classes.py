from django.db import migrations


def create_product_classes(apps, schema_editor):
    from magazine.catalogue import ensure_product_classes

    ensure_product_classes(apps)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0032_category_exclude_from_menu_category_long_description")]

    operations = [migrations.RunPython(create_product_classes, migrations.RunPython.noop)]
