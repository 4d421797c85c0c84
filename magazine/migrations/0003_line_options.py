from django.db import migrations


def create_options(apps, schema_editor):
    from magazine.catalogue import ensure_product_classes

    ensure_product_classes(apps)


class Migration(migrations.Migration):
    dependencies = [("magazine", "0002_issues_subscriptions_newsletter")]

    operations = [migrations.RunPython(create_options, migrations.RunPython.noop)]
