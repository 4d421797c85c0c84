"""Staff keep the association's details (printed on tax receipts) in Oscar's dashboard."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from donations.selectors import get_association

URL = "/dashboard/association/"


@pytest.fixture
def staff_client(client, demo):
    client.force_login(get_user_model().objects.get(email="equipe@kiosque.example"))
    return client


def form_data(association, **changes):
    data = {
        field: getattr(association, field)
        for field in (
            "name", "line1", "line2", "postcode", "city", "country", "siren", "rna",
            "purpose", "qualification", "qualification_detail", "signatory_name",
            "signatory_role", "email", "monthly_receipts",
        )
    }  # fmt: skip
    data.update(changes)
    return data


def test_dashboard_menu_links_to_the_association_page(staff_client):
    html = staff_client.get(reverse("dashboard:index")).content.decode()
    assert URL in html
    assert "Informations pour les reçus fiscaux" in html


def test_staff_edit_the_association(staff_client):
    association = get_association()
    response = staff_client.post(URL, form_data(association, city="Villeurbanne"))
    assert response.status_code == 302
    assert get_association().city == "Villeurbanne"


def test_siren_or_rna_is_required_and_nothing_is_lost(staff_client):
    association = get_association()
    response = staff_client.post(URL, form_data(association, siren="", rna="", city="Bron"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Indiquez le numéro SIREN ou le numéro RNA" in html
    assert 'value="Bron"' in html  # what was typed is still in the form
    assert get_association().city == association.city


def test_customers_cannot_see_the_page(client, demo):
    user = get_user_model().objects.create_user("lecteur", "lecteur@example.org", "pw-lecteur-1")
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]
