"""The printer's routing list of an issue: who gets it, CSV and labels, counts per country."""

import csv
import io

import pypdf
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_model
from oscar.test.factories import create_stockrecord

from magazine.catalogue import PRINT_ISSUE
from magazine.models import Subscription
from magazine.selectors import count_by_country, routing_list
from tests.support.magazine import (
    DIGITAL_ONLY,
    PRINT_AND_DIGITAL,
    PRINT_ONLY,
    Country,
    address,
    place_order,
    subscription_of,
)

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")

pytestmark = pytest.mark.usefixtures("demo")

N = 5


def subscription(upc, first, last, name, country="FR", **changes):
    made = subscription_of(
        place_order(upc, email=f"{name.split()[0].lower()}@example.org", shipping_address=address(
            first_name=name.split()[0], last_name=name.split()[1],
            country=Country.objects.get(iso_3166_1_a2=country),
        ))
    )  # fmt: skip
    Subscription.objects.filter(pk=made.pk).update(first_issue=first, last_issue=last, **changes)
    return made


@pytest.fixture
def fixture_for_issue_5():
    """Subscriptions that start, end, skip or cover n°5, and orders of the print issue."""
    from magazine.models import Issue

    Issue.objects.create(number=5, title="Cinq", publication_date="2027-06-01")
    covers = subscription(PRINT_ONLY, 4, 7, "Ana Couvre")
    starts = subscription(PRINT_AND_DIGITAL, 5, 8, "Bea Commence", country="BE")
    ends = subscription(PRINT_ONLY, 2, 5, "Cyd Finit")
    subscription(PRINT_ONLY, 1, 4, "Dan Avant")  # ended before n°5
    subscription(PRINT_ONLY, 6, 9, "Eve Apres")  # starts after n°5
    subscription(DIGITAL_ONLY, 4, 7, "Fay Numerique")  # nothing to post
    subscription(PRINT_ONLY, 4, 7, "Gus Annule", status=Subscription.Status.CANCELLED)
    # Print issue n°5 sold singly: one order to post, one already posted, one of n°3.
    product = Product(
        upc="ECHO-005-P",
        title="n°5 papier",
        product_class=ProductClass.objects.get(slug=PRINT_ISSUE.slug),
    )
    product.attr.issue_number = N
    product.save()
    create_stockrecord(product, num_in_stock=50, price="9.50")
    to_post = place_order("ECHO-005-P", quantity=2, shipping_address=address(
        first_name="Hugo", last_name="Commande", country=Country.objects.get(iso_3166_1_a2="CH"),
    ))  # fmt: skip
    shipped = place_order("ECHO-005-P")
    shipped.status = "Expédiée"
    shipped.save()
    place_order("ECHO-003-P")
    return {"covers": covers, "starts": starts, "ends": ends, "order": to_post}


def test_the_routing_list_holds_what_to_post(fixture_for_issue_5):
    parcels = routing_list(N)

    assert [(parcel.name, parcel.quantity) for parcel in parcels] == [
        ("Ana Couvre", 1),
        ("Bea Commence", 1),
        ("Cyd Finit", 1),
        ("Hugo Commande", 2),
    ]
    assert parcels[-1].reference == f"CMD-{fixture_for_issue_5['order'].number}"
    assert parcels[1].country == "Belgique" and parcels[1].country_code == "BE"
    assert count_by_country(parcels) == [("France", 2, 2), ("Belgique", 1, 1), ("Suisse", 1, 2)]


def test_staff_export_it_as_csv_and_labels(client, fixture_for_issue_5):
    client.force_login(get_user_model().objects.get(email="equipe@kiosque.example"))
    page = client.get(reverse("magazine-dashboard:routing", args=[N])).content.decode()
    assert "4 envois" in page and "5 exemplaires" in page and "Suisse" in page

    response = client.get(reverse("magazine-dashboard:routing-export", args=[N, "csv"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())  # the treasurer's French CSV: BOM, ";"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Référence", "Nom", "Adresse", "Adresse (suite)", "Code postal", "Ville",
        "Code pays", "Pays", "Quantité",
    ]  # fmt: skip
    assert len(rows) == 5  # header and one line per parcel
    assert rows[1][1:8] == [
        "Ana Couvre", "3 rue de la Paix", "", "69001", "Lyon", "FR", "France",
    ]  # fmt: skip
    assert rows[4][-1] == "2"

    labels = client.get(reverse("magazine-dashboard:routing-export", args=[N, "pdf"]))
    reader = pypdf.PdfReader(io.BytesIO(labels.content))
    assert len(reader.pages) == 2  # one sheet of labels, then the counts
    first = reader.pages[0].extract_text()
    assert "Ana Couvre" in first and "BELGIQUE" in first and "2 ex." in first
    assert "4 envois, 5 exemplaires" in " ".join(reader.pages[1].extract_text().split())


def test_only_staff_reach_it(client, fixture_for_issue_5):
    assert client.get(reverse("magazine-dashboard:routing", args=[N])).status_code == 302


def test_staff_add_an_issue_with_its_pdf_kept_private(client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from magazine.models import Issue

    client.force_login(get_user_model().objects.get(email="equipe@kiosque.example"))
    menu = client.get(reverse("dashboard:index")).content.decode()
    assert reverse("magazine-dashboard:issues") in menu
    assert "Numéros et listes de routage" in menu
    form = client.get(reverse("magazine-dashboard:issue-create"))
    assert form.context["form"]["number"].value() == 4  # the next one (n°4 is planned)

    response = client.post(
        reverse("magazine-dashboard:issue-create"),
        {
            "number": 6,
            "title": "Six",
            "publication_date": "2027-09-01",
            "pdf": SimpleUploadedFile("six.pdf", b"%PDF-1.7 six", "application/pdf"),
        },
    )

    assert response.status_code == 302
    issue = Issue.objects.get(number=6)
    assert issue.status == Issue.Status.PLANNED
    assert issue.pdf.path.startswith(str(issue.pdf.storage.location))
    assert not issue.pdf.path.startswith(str(settings.MEDIA_ROOT))
    page = client.get(reverse("magazine-dashboard:issue-update", args=[6])).content.decode()
    assert issue.pdf.name not in page
