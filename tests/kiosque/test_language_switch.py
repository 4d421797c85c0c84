"""The footer's language switcher takes the reader to the same page in the other language,
both ways, and never off the site."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def switch(language: str, next_url: str, client=None):
    return (client or Client()).post("/i18n/setlang/", {"language": language, "next": next_url})


@pytest.mark.parametrize(
    ("language", "came_from", "goes_to"),
    [
        ("en", "/abonnements/", "/en/abonnements/"),
        # Back to French from an English page (it stayed on /en/abonnements/).
        ("fr", "/en/abonnements/", "/abonnements/"),
        ("fr", "/en/", "/"),
        ("fr", "/en/don/", "/don/"),
    ],
)
def test_the_switcher_leads_to_the_same_page_in_the_other_language(language, came_from, goes_to):
    response = switch(language, came_from)
    assert response.status_code == 302
    assert response["Location"] == goes_to
    assert response.cookies["django_language"].value == language


def test_back_to_french_after_english_was_chosen():
    client = Client()
    switch("en", "/", client)
    assert switch("fr", "/en/abonnements/", client)["Location"] == "/abonnements/"


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example/", "//evil.example/en/", "javascript:alert(1)"]
)
def test_the_switcher_never_leads_off_the_site(elsewhere):
    response = switch("fr", elsewhere)
    assert response.status_code == 302 and not response["Location"].startswith(
        ("http", "//", "javascript")
    )
