"""The product attributes' names were English ("Issue number", "Term (issues)") in French
pages: they become French (magazine/catalogue.py). Only the names change; products keep their
values."""

from django.db import migrations

NAMES = {"issue_number": ("Issue number", "Numéro"), "term_in_issues": ("Term (issues)", "Nombre de numéros")}


def rename(apps, schema_editor, *, forwards=True):
    ProductAttribute = apps.get_model("catalogue", "ProductAttribute")
    for code, (english, french) in NAMES.items():
        old, new = (english, french) if forwards else (french, english)
        ProductAttribute.objects.filter(code=code, name=old).update(name=new)


def backwards(apps, schema_editor):
    rename(apps, schema_editor, forwards=False)


class Migration(migrations.Migration):
    dependencies = [("magazine", "0003_line_options")]

    operations = [migrations.RunPython(rename, backwards)]
