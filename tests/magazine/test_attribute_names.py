"""The product attributes readers see on an issue's or a subscription's page are named in
French (issue 18: "Issue number" and "Term (issues)" in French pages); a database made before
gets them renamed by migration 0004, the products keeping their values."""

import importlib

from django.apps import apps
from oscar.core.loading import get_model

from magazine.catalogue import ensure_product_classes

Product = get_model("catalogue", "Product")
ProductAttribute = get_model("catalogue", "ProductAttribute")

RENAMING = importlib.import_module("magazine.migrations.0004_attribute_names_in_french")


def names() -> set[str]:
    return set(
        ProductAttribute.objects.filter(code__in=("issue_number", "term_in_issues"))
        .values_list("name", flat=True)
        .distinct()
    )


def test_the_attributes_are_french(demo):
    assert names() == {"Numéro", "Nombre de numéros"}


def test_the_migration_renames_the_english_ones_and_keeps_the_values(demo):
    ProductAttribute.objects.filter(code="issue_number").update(name="Issue number")
    ProductAttribute.objects.filter(code="term_in_issues").update(name="Term (issues)")
    product = Product.objects.get(upc="ECHO-002-P")

    RENAMING.rename(apps, schema_editor=None)

    assert names() == {"Numéro", "Nombre de numéros"}
    assert Product.objects.get(pk=product.pk).attr.issue_number == 2
    RENAMING.backwards(apps, schema_editor=None)  # and back
    assert names() == {"Issue number", "Term (issues)"}


def test_a_name_staff_changed_is_left_alone(demo):
    ProductAttribute.objects.filter(code="issue_number").update(name="N° de la revue")
    RENAMING.rename(apps, schema_editor=None)
    assert "N° de la revue" in names()
    ensure_product_classes(apps)  # the demo loader puts ours back
    assert names() == {"Numéro", "Nombre de numéros"}
