"""An issue is one product with its editions (print, PDF); the subscriptions compared on one
page; no reviews; French attribute names; covers drawn with a font that has É, é and —."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape
from fontTools.ttLib import TTFont
from oscar.core.loading import get_class, get_model

from magazine import demo, editions
from magazine.catalogue import DIGITAL_ISSUE, ISSUE, PRINT_ISSUE
from magazine.models import Issue
from tests.support.magazine import basket_of, place_order

Product = get_model("catalogue", "Product")
ProductAttribute = get_model("catalogue", "ProductAttribute")
Selector = get_class("partner.strategy", "Selector")

pytestmark = pytest.mark.usefixtures("demo")


def issue_3():
    return editions.issue_product(3)


def test_an_issue_is_one_product_whose_editions_are_its_children():
    parent = issue_3()
    assert parent.is_parent and parent.product_class.slug == ISSUE.slug
    children = {child.upc: child for child in parent.children.all()}
    assert set(children) == {"ECHO-003-P", "ECHO-003-N"}
    print_, pdf = children["ECHO-003-P"], children["ECHO-003-N"]
    # Each edition ships (or not) and is stocked (or not) as its own class says.
    assert print_.get_product_class().slug == PRINT_ISSUE.slug
    assert print_.is_shipping_required
    assert pdf.get_product_class().slug == DIGITAL_ISSUE.slug
    assert not pdf.is_shipping_required
    assert print_.attr.issue_number == pdf.attr.issue_number == 3
    # One card per issue: the catalogue lists the parents only.
    browsable = Product.objects.browsable().filter(product_class__slug=ISSUE.slug)
    assert browsable.count() == 3


def test_the_catalogue_shows_each_issue_once(client):
    page = client.get(reverse("catalogue:index")).content.decode()
    for number in (1, 2, 3):
        assert page.count(f">n°{number}<") == 1, number
    assert "(papier)" not in page and "(PDF)" not in page


def test_the_issue_page_offers_print_with_its_postage_and_pdf(client, settings):
    settings.KIOSQUE_POSTAGE_CHARGE = Decimal("2.50")
    page = client.get(issue_3().get_absolute_url()).content.decode()
    assert "papier" in page.lower() and "9,50\xa0€" in page
    assert "frais de port 2,50\xa0€" in page
    assert "6,00\xa0€" in page
    # The contents and the description.
    assert "Dossier : la lecture en 2026" in page
    assert "Sommaire" in page or "Dans ce numéro" in page


def test_the_pdf_edition_chosen_is_the_one_in_the_basket(client):
    parent = issue_3()
    pdf = parent.children.get(upc="ECHO-003-N")
    response = client.post(
        reverse("basket:add", kwargs={"pk": parent.pk}), {"child_id": pdf.pk, "quantity": 1}
    )
    assert response.status_code == 302
    basket = basket_of(client)
    assert [line.product for line in basket.all_lines()] == [pdf]
    assert not basket.is_shipping_required()


def test_an_edition_of_another_issue_cannot_be_added_through_this_one(client):
    other = editions.issue_product(1).children.get(upc="ECHO-001-N")
    client.post(
        reverse("basket:add", kwargs={"pk": issue_3().pk}), {"child_id": other.pk, "quantity": 1}
    )
    assert "oscar_open_basket" not in client.cookies or not basket_of(client).all_lines()


def test_editions_keep_subscriptions_routing_and_entitlements_working():
    order = place_order("ECHO-003-N", "ECHO-003-P")
    assert order.lines.count() == 2
    issue = Issue.objects.get(number=3)
    assert issue.entitlements.filter(order_line__order=order).count() == 1


def test_the_subscriptions_are_compared_on_one_page_with_the_gift(client):
    page = client.get(reverse("magazine:subscriptions")).content.decode()
    for price in ("22,00\xa0€", "34,00\xa0€", "40,00\xa0€"):
        assert price in page
    assert page.count("4 numéros") >= 3
    assert "n°4" in page  # the first issue new subscribers receive
    assert page.count("/offrir/") == 3


def test_the_gift_page_shows_the_price(client):
    product = Product.objects.get(upc="ABO-1AN-PAPIER")
    page = client.get(reverse("magazine:gift", kwargs={"pk": product.pk})).content.decode()
    assert "34,00\xa0€" in page
    assert 'class="form-control' in page


def test_no_reviews_on_the_storefront(client):
    parent = issue_3()
    page = client.get(parent.get_absolute_url()).content.decode()
    assert "star-rating" not in page and "avis" not in page.lower()
    base = parent.get_absolute_url()
    assert client.get(f"{base}reviews/add/").status_code == 404
    assert client.post(f"{base}reviews/add/", {"title": "x", "score": 5}).status_code == 404


def test_the_attributes_are_named_in_french():
    names = set(ProductAttribute.objects.values_list("name", flat=True))
    assert names == {"Numéro", "Nombre de numéros"}


def test_the_covers_font_has_the_french_letters_and_the_dash():
    font = demo._font(40)
    cmap = TTFont(font.path).getBestCmap()
    for char in "Éé—°":
        assert ord(char) in cmap, char


def test_the_home_page_shows_the_latest_issue_with_its_two_calls_to_action(client):
    page = client.get("/").content.decode()
    assert "Lire en 2026" in page
    assert reverse("magazine:subscriptions") in page
    assert reverse("donations:donate") in page
    assert "association à but non lucratif qui ne vit que par la générosité de ses lecteurs" in page
    assert page.count("<title>") == 1
    title = page.split("<title>")[1].split("</title>")[0]
    assert title.count("Kiosque") <= 1
    # The cards say the month: "Paru en août 2026", never "Paru le août 2026".
    assert "Paru en " in page and not re.search(r"Paru le [a-zéû]+ \d{4}", page)


def staff(client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(email="equipe@kiosque.example"))


def test_staff_put_an_issue_on_sale_with_its_two_editions_from_the_issue_form(client):
    staff(client)
    response = client.post(
        reverse("magazine-dashboard:issue-create"),
        {
            "number": 6,
            "title": "Six",
            "publication_date": "2027-09-01",
            "summary": "Éditorial\nDossier : six",
            "description": "Le numéro six.",
            "print_price": "10.00",
            "print_stock": "30",
            "pdf_price": "5.00",
        },
    )
    assert response.status_code == 302
    parent = editions.issue_product(6)
    assert parent.title == "L'Écho des lecteurs n°6 — Six"
    assert parent.description == "<p>Le numéro six.</p>"
    children = {child.get_product_class().slug: child for child in parent.children.all()}
    print_record = children[PRINT_ISSUE.slug].stockrecords.get()
    assert (print_record.price, print_record.num_in_stock) == (Decimal("10.00"), 30)
    assert children[DIGITAL_ISSUE.slug].stockrecords.get().price == Decimal("5.00")
    # Saving again with new prices updates the same products.
    form = client.get(reverse("magazine-dashboard:issue-update", args=[6])).context["form"]
    assert form.initial["pdf_price"] == Decimal("5.00")
    client.post(
        reverse("magazine-dashboard:issue-update", args=[6]),
        {"number": 6, "title": "Six", "publication_date": "2027-09-01",
         "print_price": "11.00", "pdf_price": "5.50"},
    )  # fmt: skip
    assert editions.issue_product(6).pk == parent.pk
    assert parent.children.count() == 2
    assert children[PRINT_ISSUE.slug].stockrecords.get().num_in_stock == 30  # kept


def test_one_price_alone_puts_nothing_on_sale(client):
    staff(client)
    response = client.post(
        reverse("magazine-dashboard:issue-create"),
        {"number": 6, "title": "Six", "publication_date": "2027-09-01", "print_price": "10.00"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert editions.issue_product(6) is None
    assert not Issue.objects.filter(number=6).exists()


def test_a_reader_cannot_put_an_issue_on_sale(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("lea", "lea@example.org", "x-long"))
    client.post(
        reverse("magazine-dashboard:issue-create"),
        {"number": 6, "title": "Six", "publication_date": "2027-09-01",
         "print_price": "1.00", "pdf_price": "1.00"},
    )  # fmt: skip
    assert editions.issue_product(6) is None


def test_an_edition_with_its_own_class_passes_oscars_checks_and_opens_in_the_dashboard(
    client, django_user_model
):
    pdf = Product.objects.get(upc="ECHO-003-N")
    pdf.full_clean()  # Oscar's rules for a child, less "a child can't have a product class"
    client.force_login(
        django_user_model.objects.create_superuser("admin", "admin@example.org", "x-long-pw")
    )
    page = client.get(reverse("dashboard:catalogue-product", kwargs={"pk": pdf.pk}))
    assert page.status_code == 200
    assert "attr_issue_number" in page.context["form"].fields


def test_searching_an_issue_finds_its_card_once(client):
    page = client.get(reverse("search:search"), {"q": "Lire"}).content.decode()
    assert page.count(">n°3<") == 1
    assert "kiosque/css/catalogue" in page


@pytest.mark.parametrize("where", ["catalogue", "category"])
def test_the_catalogue_lists_a_subscription_by_its_whole_name_and_leads_to_the_comparison(
    client, where
):
    """Oscar's cards cut "Abonnement 1 an — papier (4 numéros)" to three identical stubs with an
    "Ajouter au panier" each; a subscription is chosen on the page that compares them."""
    category = get_model("catalogue", "Category").objects.get(name="Abonnements")
    url = "/catalogue/" if where == "catalogue" else category.get_absolute_url()
    page = client.get(url, follow=True).content.decode()
    subscriptions = get_model("catalogue", "Product").objects.filter(
        product_class__slug__startswith="abonnement"
    )
    assert subscriptions.count() == 3
    for product in subscriptions:
        assert f'<h3 class="kiosque-formula-name h5">{escape(product.get_title())}</h3>' in page
        assert reverse("basket:add", kwargs={"pk": product.pk}) not in page
    assert page.count(f'href="{reverse("magazine:subscriptions")}"') >= 3
