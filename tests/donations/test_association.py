"""The treasury keeps the association's details (printed on tax receipts) in Oscar's dashboard;
other staff (the demo's « Équipe ») neither see nor change them."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from donations.selectors import get_association

URL = "/dashboard/association/"
SIGNATURE_URL = "/dashboard/association/signature/"


@pytest.fixture
def treasurer_client(client, demo):
    """The treasurer (« Trésorerie »): the staff who keep what a tax receipt prints."""
    client.force_login(get_user_model().objects.get(email="tresorier@kiosque.example"))
    return client


@pytest.fixture
def team_client(client, demo):
    """Staff outside the treasury (the demo's « Équipe »)."""
    client.force_login(get_user_model().objects.get(email="equipe@kiosque.example"))
    return client


def form_data(association, **changes):
    data = {
        field: getattr(association, field)
        for field in (
            "name", "line1", "line2", "postcode", "city", "country", "siren", "rna",
            "purpose", "qualification", "qualification_detail", "signatory_name",
            "signatory_role", "email", "monthly_receipts", "site_name", "primary_colour",
            "accent_colour",
        )
    }  # fmt: skip
    data.update(changes)
    return data


def test_dashboard_menu_links_to_the_association_page(treasurer_client):
    html = treasurer_client.get(reverse("dashboard:index")).content.decode()
    assert URL in html
    assert "Informations pour les reçus fiscaux" in html


def test_the_team_neither_sees_the_menu_entry_nor_opens_the_pages(team_client):
    index = team_client.get(reverse("dashboard:index"))
    html = index.content.decode()
    assert index.status_code == 200
    assert URL not in html
    assert "Informations pour les reçus fiscaux" not in html
    assert team_client.get(URL).status_code == 403
    assert team_client.get(SIGNATURE_URL).status_code == 403


def test_the_team_cannot_change_the_association(team_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    association = get_association()
    upload = SimpleUploadedFile("fausse.png", _png("red"), content_type="image/png")
    data = {**form_data(association, name="Autre", siren="", rna="W000000000"), "signature": upload}
    response = team_client.post(URL, data)
    assert response.status_code == 403
    after = get_association()
    assert (after.name, after.siren, after.rna) == (
        association.name,
        association.siren,
        association.rna,
    )
    assert after.signature.name == association.signature.name


def test_the_treasurer_edits_the_association(treasurer_client):
    association = get_association()
    response = treasurer_client.post(URL, form_data(association, city="Villeurbanne"))
    assert response.status_code == 302
    assert get_association().city == "Villeurbanne"


def test_siren_or_rna_is_required_and_nothing_is_lost(treasurer_client):
    association = get_association()
    response = treasurer_client.post(URL, form_data(association, siren="", rna="", city="Bron"))
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


# The signature image signs every tax receipt: private storage, never under MEDIA_URL.


def _png(colour="blue") -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_signature_is_private_and_the_treasurer_previews_it(
    treasurer_client, settings, tmp_path
):
    from django.core.files.storage import storages

    settings.MEDIA_ROOT = tmp_path

    signature = get_association().signature
    assert signature.storage is storages["private"]
    assert not (settings.MEDIA_ROOT / signature.name).exists()
    with pytest.raises(ValueError):
        signature.url  # noqa: B018
    page = treasurer_client.get(URL).content.decode()
    assert SIGNATURE_URL in page and "/media/" not in page
    preview = treasurer_client.get(SIGNATURE_URL)
    assert preview.status_code == 200 and preview["Content-Type"] == "image/png"
    with signature.open("rb") as image:
        assert b"".join(preview.streaming_content) == image.read()


def test_the_treasurer_uploads_a_new_signature_into_private_storage(
    treasurer_client, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from donations.services.receipts import _issuer

    settings.MEDIA_ROOT = tmp_path
    association = get_association()
    upload = SimpleUploadedFile("nouvelle.png", _png("red"), content_type="image/png")
    response = treasurer_client.post(URL, {**form_data(association), "signature": upload})
    assert response.status_code == 302
    signature = get_association().signature
    assert signature.name.startswith("association/nouvelle")
    assert not (settings.MEDIA_ROOT / signature.name).exists()
    with signature.open("rb") as image:
        assert image.read() == _png("red")
    # The receipts read it through the storage.
    assert _issuer(get_association())["signature"].startswith("data:image/png;base64,")


def test_customers_and_visitors_cannot_see_the_signature(client, demo):
    assert client.get(SIGNATURE_URL).status_code == 302
    user = get_user_model().objects.create_user("lecteur", "lecteur@example.org", "pw-lecteur-1")
    client.force_login(user)
    response = client.get(SIGNATURE_URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_migration_moves_a_public_signature_into_private_storage(db, settings, tmp_path):
    import importlib

    from django.apps import apps
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    from donations.models import Association

    migration = importlib.import_module("donations.migrations.0006_signature_private_storage")
    settings.MEDIA_ROOT = tmp_path / "media"
    private = {**settings.STORAGES["private"], "OPTIONS": {"location": str(tmp_path / "private")}}
    settings.STORAGES = {**settings.STORAGES, "private": private}
    public = storages["default"]
    name = public.save("association/ancienne.png", ContentFile(_png("green")))
    from donations.demo import demo_association

    demo_association()
    Association.objects.update(signature=name)
    migration.move_signatures_to_private_storage(apps, None)
    moved = Association.objects.get().signature.name
    assert not public.exists(name)
    with storages["private"].open(moved, "rb") as image:
        assert image.read() == _png("green")
    # Run again (or with the file already moved): nothing changes, nothing is lost.
    migration.move_signatures_to_private_storage(apps, None)
    assert Association.objects.get().signature.name == moved
    assert storages["private"].exists(moved)
