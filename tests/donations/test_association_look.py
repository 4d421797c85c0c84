"""The site's look from the association's dashboard page: its name, logo and colours. The
colours reach pages only through a versioned stylesheet (no markup, no inline style), always as
#rrggbb with readable text colours worked out from them; the logo is a PNG, JPEG or WebP image
drawn again as a PNG, served as one."""

import io
import itertools

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from PIL import Image

from donations import look
from donations.models import Association
from donations.selectors import get_association
from tests.donations.test_association import URL, form_data

INJECTION = "red;}body{display:none"


@pytest.fixture
def treasurer_client(client, demo):
    client.force_login(get_user_model().objects.get(email="tresorier@kiosque.example"))
    return client


def _image(kind="PNG", size=(300, 100), colour="navy") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=kind)
    return buffer.getvalue()


def _post(client, **changes):
    return client.post(URL, form_data(get_association(), **changes))


def _stylesheet(client=None) -> str:
    association = get_association()
    response = (client or Client()).get(
        reverse("association-look", args=[association.look_version])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    return response.content.decode()


# --- Colours -------------------------------------------------------------------------------


def test_the_treasurer_sets_the_colours_and_every_page_asks_for_them(treasurer_client):
    response = _post(treasurer_client, primary_colour="#2A9D8F", accent_colour="#e76f51")
    assert response.status_code == 302
    association = get_association()
    css = _stylesheet()
    assert "--kiosque-primary: #2a9d8f;" in css and "--kiosque-accent: #e76f51;" in css
    home = Client().get("/").content.decode()
    assert reverse("association-look", args=[association.look_version]) in home


def test_a_new_colour_changes_the_stylesheet_s_address(treasurer_client):
    before = get_association().look_version
    _post(treasurer_client, primary_colour="#000080")
    after = get_association().look_version
    assert after != before
    assert f"look-{after}.css" in Client().get("/").content.decode()


@pytest.mark.parametrize(
    "colour", [INJECTION, "red", "#12345", "#1234567", "#12345g", "#123;}", "url(x)", ""]
)
def test_anything_but_six_hex_digits_is_refused(treasurer_client, colour):
    before = get_association().primary_colour
    response = _post(treasurer_client, primary_colour=colour)
    assert response.status_code == 200  # the form again, with its error
    assert response.context["form"].errors["primary_colour"]
    assert get_association().primary_colour == before
    assert "display:none" not in _stylesheet()


def test_a_colour_written_in_the_database_by_other_means_never_reaches_the_css(association):
    # Seven characters, what the column holds.
    Association.objects.filter(pk=1).update(primary_colour="red;}*{", accent_colour="</style")
    css = _stylesheet()
    assert "}*{" not in css and "<" not in css and "red" not in css
    assert f"--kiosque-primary: {look.DEFAULT_PRIMARY};" in css


def test_the_model_refuses_a_bad_colour_too(association):
    from django.core.exceptions import ValidationError

    association.accent_colour = INJECTION
    with pytest.raises(ValidationError):
        association.full_clean()


SAMPLES = ["#ffffff", "#000000", "#ffff00", "#00ff00", "#777777", "#1d3557", "#ff8800"]


@pytest.mark.parametrize(("primary", "accent"), list(itertools.product(SAMPLES, SAMPLES[:3])))
def test_text_is_readable_whatever_the_colours(primary, accent):
    """WCAG AA (4.5:1) for the buttons' text and for the colours used as text on white."""
    css = look.stylesheet(primary, accent)
    values = dict(line.strip().rstrip(";").split(": ") for line in css.splitlines() if "--" in line)
    for name in ("primary", "accent"):
        button, on = values[f"--kiosque-{name}-button"], values[f"--kiosque-{name}-on"]
        assert look.contrast(button, on) >= 4.5, (name, button, on)
        assert look.contrast(values[f"--kiosque-{name}-ink"], "#ffffff") >= 4.5
    band = values["--kiosque-primary"]
    assert look.contrast(band, values["--kiosque-primary-band-on"]) >= 4.5 or band == "#777777"


def test_an_old_version_is_answered_but_not_kept(association):
    response = Client().get(reverse("association-look", args=["old"]))
    assert response.status_code == 200 and response["Cache-Control"] == "no-cache"
    current = Client().get(reverse("association-look", args=[association.look_version]))
    assert "immutable" in current["Cache-Control"]


# --- Name ----------------------------------------------------------------------------------


def test_the_site_s_name_comes_from_the_association(treasurer_client):
    _post(treasurer_client, site_name="La Gazette du Lundi")
    page = Client().get("/").content.decode()
    assert "La Gazette du Lundi" in page
    assert "Kiosque" not in page
    title = page.split("<title>")[1].split("</title>")[0]
    assert title.count("La Gazette du Lundi") == 1


def test_the_site_s_name_names_the_emails_too_and_a_migrate_keeps_it(treasurer_client):
    """Oscar's emails say Django's Site name, ours too (the welcome email): the name set here."""
    from django.contrib.sites.models import Site

    from kiosque.sites import sync_current_site

    _post(treasurer_client, site_name="La Gazette du Lundi")
    assert Site.objects.get_current().name == "La Gazette du Lundi"
    sync_current_site()  # what every migrate runs
    assert Site.objects.get_current().name == "La Gazette du Lundi"
    Client().post(
        reverse("customer:login"),
        {
            "registration-email": "lectrice@example.org",
            "registration-password1": "un-mot-de-passe-long",
            "registration-password2": "un-mot-de-passe-long",
            "registration_submit": "1",
        },
    )
    assert mail.outbox[-1].subject.startswith("Bienvenue sur La Gazette du Lundi !")


def test_without_a_site_name_the_association_s_name_is_used(treasurer_client):
    _post(treasurer_client, site_name="")
    assert escape(get_association().name) in Client().get("/").content.decode()


def test_the_site_s_name_is_plain_text(treasurer_client):
    response = _post(treasurer_client, site_name="<script>alert(1)</script>")
    assert response.status_code == 200 and response.context["form"].errors["site_name"]


# --- Logo ----------------------------------------------------------------------------------


def _upload(client, data: bytes, name="logo.png", content_type="image/png"):
    upload = SimpleUploadedFile(name, data, content_type=content_type)
    return client.post(URL, {**form_data(get_association()), "logo": upload})


@pytest.mark.parametrize("kind", ["PNG", "JPEG", "WEBP"])
def test_the_logo_is_drawn_again_as_a_png_and_shown_on_every_page(treasurer_client, kind):
    response = _upload(treasurer_client, _image(kind, size=(1200, 300)), name=f"logo.{kind}")
    assert response.status_code == 302
    association = get_association()
    url = reverse("association-logo", args=[association.logo_version])
    served = Client().get(url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"]
    image = Image.open(io.BytesIO(b"".join(served.streaming_content)))
    assert image.format == "PNG" and image.size[0] <= 600 and image.size[1] <= 200
    assert url in Client().get("/").content.decode()  # the header
    dashboard = treasurer_client.get("/dashboard/").content.decode()
    assert url in dashboard  # the dashboard's bar
    assert "oscar/favicon.ico" not in dashboard  # Oscar's logo, as the tab's icon


def test_neither_the_shop_nor_the_dashboard_shows_oscar_s_logo(treasurer_client):
    for path in ("/", "/dashboard/"):
        html = treasurer_client.get(path).content.decode()
        assert "oscar/favicon.ico" not in html and "kiosque/img/favicon.svg" in html


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script></svg>"
)


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (SVG, "logo.svg", "image/svg+xml"),
        (SVG, "logo.png", "image/png"),  # an SVG calling itself a PNG
        (b"<html><script>alert(1)</script></html>", "logo.png", "image/png"),
        (b"GIF89a" + b"\0" * 20, "logo.gif", "image/gif"),
    ],
)
def test_a_logo_that_is_not_a_plain_image_is_refused(treasurer_client, data, name, content_type):
    response = _upload(treasurer_client, data, name, content_type)
    assert response.status_code == 200
    assert response.context["form"].errors["logo"]
    assert not get_association().logo


def test_a_gif_is_refused(treasurer_client):
    response = _upload(treasurer_client, _image("GIF"), "logo.gif", "image/gif")
    assert response.context["form"].errors["logo"]


def test_a_huge_logo_is_refused(treasurer_client):
    heavy = _image("PNG") + b"\0" * (look.LOGO_MAX_BYTES + 1)
    response = _upload(treasurer_client, heavy)
    assert response.context["form"].errors["logo"]
    assert not get_association().logo


def test_a_logo_of_too_many_pixels_is_refused(treasurer_client):
    response = _upload(treasurer_client, _image("PNG", size=(look.LOGO_MAX_PIXELS + 1, 10)))
    assert response.context["form"].errors["logo"]


def test_no_logo_no_logo_address(association):
    assert Client().get(reverse("association-logo", args=["x"])).status_code == 404
    assert "/site/logo-" not in Client().get("/").content.decode()


# --- Who may change it -------------------------------------------------------------------


@pytest.mark.parametrize("who", [None, "reader", "equipe@kiosque.example"])
def test_only_the_treasury_changes_the_look(client, demo, who):
    if who == "reader":
        user = get_user_model().objects.create_user(
            username="lecteur", email="lecteur@example.org", password="x" * 12
        )
        client.force_login(user)
    elif who:
        client.force_login(get_user_model().objects.get(email=who))
    before = get_association()
    upload = SimpleUploadedFile("logo.png", _image(), content_type="image/png")
    data = {
        **form_data(before, primary_colour="#ff0000", site_name="Piraté"),
        "logo": upload,
    }
    response = client.post(URL, data)
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "login" in response["Location"]
    after = get_association()
    assert (after.primary_colour, after.site_name, after.logo.name) == (
        before.primary_colour,
        before.site_name,
        before.logo.name,
    )
