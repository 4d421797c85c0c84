"""Pages make as many SQL queries with 200 products in the catalogue as with 10."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from magazine import editions
from magazine.models import Issue

Product = get_model("catalogue", "Product")
Partner = get_model("partner", "Partner")
ProductImage = get_model("catalogue", "ProductImage")

PAGES = ("/", "/catalogue/", "/abonnements/", "/don/")


def catalogue_of(size: int) -> None:
    """Issues like the demo's first, each one product with its print and PDF editions, until
    the catalogue lists ``size`` products (issues and subscriptions)."""
    image = editions.issue_product(1).images.get()
    partner = Partner.objects.get(code="kiosque")
    for n in range(Product.objects.browsable().count(), size):
        issue = Issue.objects.create(
            number=100 + n,
            title=f"Copie {n}",
            publication_date=datetime.date(2026, 1, 1),
            status=Issue.Status.PUBLISHED,
        )
        parent = editions.put_issue_on_sale(
            issue=issue,
            print_price=Decimal("9.50"),
            pdf_price=Decimal("6.00"),
            print_stock=10,
            partner=partner,
        )
        ProductImage.objects.create(product=parent, original=image.original.name)
    call_command("update_index", verbosity=0)  # the catalogue is browsed through the index


def queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


@pytest.mark.usefixtures("demo")
def test_pages_make_as_many_queries_with_200_products_as_with_10(
    client, django_assert_max_num_queries
):
    assert Product.objects.browsable().count() <= 10
    catalogue_of(10)
    product_page = editions.issue_product(109).get_absolute_url()
    with_10 = {path: queries(client, path) for path in (*PAGES, product_page)}

    catalogue_of(200)

    assert Product.objects.browsable().count() == 200
    for path, count in with_10.items():
        with django_assert_max_num_queries(count):
            assert client.get(path).status_code == 200
