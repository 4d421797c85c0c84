"""Migration magazine 0004: the print and PDF products of one issue, standalone until then,
become the editions (children) of one parent product, with their rows, ids, prices and stock;
the order lines, subscriptions and entitlements pointing at them stay as they were."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from oscar.core.loading import get_model

from magazine.catalogue import ISSUE, ensure_product_classes

pytestmark = [pytest.mark.migrations, pytest.mark.django_db(transaction=True)]

Product = get_model("catalogue", "Product")
Line = get_model("order", "Line")
ProductAttribute = get_model("catalogue", "ProductAttribute")

BEFORE = [("magazine", "0004_attribute_names_in_french")]


def migrate(targets):
    """Migrates the magazine to ``targets``; the models as they are then, every app's."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    graph = MigrationExecutor(connection).loader
    others = [node for node in graph.graph.leaf_nodes() if node[0] != "magazine"]
    return graph.project_state([*others, *targets]).apps


@pytest.fixture
def back_then():
    """The database as it was before 0004; at the end, at the latest migrations again."""
    old = migrate(BEFORE)
    # A database emptied by an earlier transactional test (the browser tests) has lost the
    # product classes that migration 0001 made: make them again, as the demo loader does.
    ensure_product_classes(old)
    yield old
    MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def standalone(old, *, upc, title, slug, price, stock, number, category, partner):
    product = old.get_model("catalogue", "Product").objects.create(
        upc=upc,
        title=title,
        slug=upc.lower(),
        structure="standalone",
        product_class=old.get_model("catalogue", "ProductClass").objects.get(slug=slug),
        description=f"<p>{title}</p>",
        is_public=True,
    )
    attribute = old.get_model("catalogue", "ProductAttribute").objects.get(
        product_class=product.product_class, code="issue_number"
    )
    old.get_model("catalogue", "ProductAttributeValue").objects.create(
        product=product, attribute=attribute, value_integer=number
    )
    old.get_model("catalogue", "ProductCategory").objects.create(product=product, category=category)
    old.get_model("catalogue", "ProductImage").objects.create(
        product=product, original=f"images/products/{upc.lower()}.png", display_order=0
    )
    old.get_model("partner", "StockRecord").objects.create(
        product=product,
        partner=partner,
        partner_sku=upc,
        price_currency="EUR",
        price=price,
        num_in_stock=stock,
    )
    return product


def test_print_and_pdf_of_one_issue_become_the_editions_of_one_product(back_then):
    old = back_then
    category = old.get_model("catalogue", "Category").objects.create(
        name="Numéros", slug="numeros", path="0001", depth=1
    )
    partner = old.get_model("partner", "Partner").objects.create(code="kiosque", name="Écho")
    common = {"category": category, "partner": partner}
    printed = standalone(
        old, upc="ECHO-007-P", title="L'Écho n°7 — Mer (papier)", slug="numero-papier",
        price=Decimal("9.50"), stock=40, number=7, **common,
    )  # fmt: skip
    pdf = standalone(
        old, upc="ECHO-007-N", title="L'Écho n°7 — Mer (PDF)", slug="numero-numerique",
        price=Decimal("6.00"), stock=None, number=7, **common,
    )  # fmt: skip
    other = standalone(
        old, upc="ECHO-008-N", title="L'Écho n°8 — Terre (PDF)", slug="numero-numerique",
        price=Decimal("6.00"), stock=None, number=8, **common,
    )  # fmt: skip
    order = old.get_model("order", "Order").objects.create(
        number="100007",
        currency="EUR",
        total_incl_tax=Decimal("6.00"),
        total_excl_tax=Decimal("6.00"),
        guest_email="marie@example.org",
        date_placed=timezone.now(),
    )
    line = old.get_model("order", "Line").objects.create(
        order=order,
        partner=partner,
        partner_name="Écho",
        partner_sku="ECHO-007-N",
        product=pdf,
        title=pdf.title,
        upc=pdf.upc,
        quantity=1,
        num_allocated=0,
        line_price_incl_tax=Decimal("6.00"),
        line_price_excl_tax=Decimal("6.00"),
        line_price_before_discounts_incl_tax=Decimal("6.00"),
        line_price_before_discounts_excl_tax=Decimal("6.00"),
    )

    migrate([("magazine", "0005_issue_editions")])

    parent = Product.objects.get(pk=Product.objects.get(pk=printed.pk).parent_id)
    assert parent.is_parent and parent.product_class.slug == ISSUE.slug
    assert parent.title == "L'Écho n°7 — Mer"
    assert parent.attr.issue_number == 7
    assert {child.pk for child in parent.children.all()} == {printed.pk, pdf.pk}
    assert list(parent.categories.values_list("name", flat=True)) == ["Numéros"]
    assert parent.images.count() == 1
    for child in parent.children.all():
        assert child.is_child and not child.categories.exists() and not child.images.exists()
    # Each edition keeps its class (shipping, stock), its price and its stock.
    print_edition = Product.objects.get(pk=printed.pk)
    assert print_edition.is_shipping_required
    assert print_edition.stockrecords.get().num_in_stock == 40
    assert not Product.objects.get(pk=pdf.pk).is_shipping_required
    assert Product.objects.get(pk=pdf.pk).stockrecords.get().price == Decimal("6.00")
    # The order line still points at the PDF edition it sold.
    assert Line.objects.get(pk=line.pk).product_id == pdf.pk
    # The lone PDF of n°8 has a parent of its own.
    assert Product.objects.get(pk=other.pk).parent.attr.issue_number == 8
    assert set(
        ProductAttribute.objects.filter(code="issue_number").values_list("name", flat=True)
    ) == {"Numéro"}

    # And back: standalone again, the parents gone.
    old = migrate(BEFORE)
    OldProduct = old.get_model("catalogue", "Product")
    assert OldProduct.objects.filter(structure="parent").count() == 0
    assert OldProduct.objects.get(pk=pdf.pk).structure == "standalone"
    assert OldProduct.objects.get(pk=pdf.pk).categories.count() == 1
