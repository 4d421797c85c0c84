"""Pages make as many SQL queries with 200 products in the catalogue as with 10."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")

PAGES = ("/", "/catalogue/", "/don/")


def catalogue_of(size: int) -> None:
    """Copies of the demo's first issue until the catalogue holds ``size`` products."""
    model = Product.objects.filter(upc="ECHO-001-P").get()
    stock = model.stockrecords.get()
    category = model.categories.get()
    image = model.images.get()
    for n in range(Product.objects.count(), size):
        product = Product.objects.create(
            upc=f"COPY-{n}",
            title=f"{model.title} ({n})",
            product_class=model.product_class,
            structure=Product.STANDALONE,
            is_public=True,
        )
        product.attr.issue_number = 1
        product.attr.save()
        ProductCategory.objects.create(product=product, category=category)
        StockRecord.objects.create(
            product=product,
            partner=stock.partner,
            partner_sku=product.upc,
            price_currency="EUR",
            price=stock.price,
            num_in_stock=10,
            num_allocated=0,
        )
        ProductImage.objects.create(product=product, original=image.original.name)
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
    assert Product.objects.count() <= 10
    catalogue_of(10)
    product_page = Product.objects.get(upc="COPY-9").get_absolute_url()
    with_10 = {path: queries(client, path) for path in (*PAGES, product_page)}

    catalogue_of(200)

    assert Product.objects.count() == 200
    for path, count in with_10.items():
        with django_assert_max_num_queries(count):
            assert client.get(path).status_code == 200
