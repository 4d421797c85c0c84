"""The signed links of our emails change nothing on a GET.

Mail scanners, link previews and antivirus proxies follow every link of an email: a link
that acted on a GET would confirm a newsletter address, verify an email, stop a monthly gift
or fill a basket for its recipient without them. Each such link opens a page whose button
(a POST, with its CSRF token) acts. This test follows every signed link the site makes, as a
scanner would, and checks that the database is exactly as before; and that no signed-link
route escapes it.
"""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import models
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import links as account_links
from donations import links as donation_links
from magazine import links as magazine_links
from magazine import services as magazine_services
from magazine.models import Entitlement, NewsletterSubscriber
from tests.support.donations import make_donor, monthly_gift, paid_donation
from tests.support.magazine import PRINT_AND_DIGITAL, place_order, subscription_of
from tests.support.permission_urls import url_patterns

pytestmark = pytest.mark.usefixtures("demo", "outbox_emails")

SITE = "http://127.0.0.1:8000"


def database() -> dict:
    """Every row of every model (sessions aside: a visit may open one). Binary fields are
    left out: a receipt's PDF is made once on its first download, then kept (a cache)."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label == "sessions" or not model._meta.managed:
            continue
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if not isinstance(field, models.BinaryField)
        ]
        rows[model._meta.label] = sorted(model.objects.order_by().values_list(*fields), key=repr)
    return rows


def signed_links() -> dict[str, tuple[str, object]]:
    """Route -> (URL, the user whose browser follows it; None for anyone): one link of
    each kind our emails carry, made by the functions that make them."""
    from donations.services.receipts import issue_receipt

    order = place_order(PRINT_AND_DIGITAL, "ECHO-002-N", email="lecteur@example.org")
    subscription = subscription_of(order)
    entitlement = Entitlement.objects.filter(order_line__order=order).first()
    assert entitlement is not None
    subscriber = magazine_services.request_newsletter(
        "zoe@example.org", source=NewsletterSubscriber.Source.FOOTER, language="fr"
    )
    donor = make_donor()
    receipt = issue_receipt([paid_donation(donor, "30")])
    gift = monthly_gift(donor)
    gift.stripe_subscription_id = "sub_not_asked_on_a_get"  # the page asks Stripe its next debit
    gift.save()
    manage = donation_links.manage_url(gift)
    method = donation_links.payment_method_url(gift)
    user = get_user_model().objects.create_user("lea", "lea@example.org", "x-long-password-1")
    receipts_url = donation_links.receipts_url(donor)
    forgetful = get_user_model().objects.create_user("paul", "paul@example.org", "x-long-pass-2")
    uid = urlsafe_base64_encode(force_bytes(forgetful.pk))
    reset = f"/password-reset/confirm/{uid}/{default_token_generator.make_token(forgetful)}/"
    return {
        "numeros/telechargement/<str:token>/": (magazine_links.download_url(entitlement), None),
        "abonnements/renouveler/<str:token>/": (magazine_links.renew_url(subscription), None),
        "lettre/confirmer/<str:token>/": (magazine_links.confirm_url(subscriber), None),
        "lettre/desinscription/<str:token>/": (magazine_links.unsubscribe_url(subscriber), None),
        "don/recus/<str:token>/": (receipts_url, None),
        "don/recus/<str:token>/<str:number>.pdf": (f"{receipts_url}{receipt.number}.pdf", None),
        "don/mensuel/<str:token>/": (manage, None),
        # The page's forms: a GET shows the page, only their POST acts.
        "don/mensuel/<str:token>/montant/": (f"{manage}montant/", None),
        "don/mensuel/<str:token>/pause/": (f"{manage}pause/", None),
        "don/mensuel/<str:token>/reprendre/": (f"{manage}reprendre/", None),
        "don/mensuel/<str:token>/paiement/": (donation_links.payment_method_url(gift), None),
        # The payment method page's endpoints, under its token: a GET is refused (405).
        "don/mensuel/<str:token>/paiement/preparer/": (f"{method}preparer/", None),
        "don/mensuel/<str:token>/paiement/enregistrer/": (f"{method}enregistrer/", None),
        "don/mensuel/<str:token>/paiement/terminer/": (f"{method}terminer/", None),
        "don/mensuel/<str:token>/arreter/": (donation_links.stop_url(gift), None),
        # Followed in a browser signed in to the account (a link preview, a scanner's).
        "accounts/email/confirmer/<str:token>/": (
            account_links.confirm_url(user, "lea@example.org"),
            user,
        ),
        # Django's password reset: its GET keeps the token in the session, then asks for
        # the new password; it changes nothing in the database.
        "password-reset/confirm/<str:uidb64>/<str:token>/": (reset, None),
    }


def test_no_signed_link_route_escapes_this_test():
    routes = {
        pattern.route.removeprefix("en/")
        for pattern in url_patterns()
        if "<str:token>" in pattern.route
    }
    covered = set(signed_links())
    assert routes == covered, routes ^ covered


def test_following_every_signed_link_with_a_get_changes_nothing():
    links = signed_links()
    before = database()
    for route, (url, user) in links.items():
        client = Client()
        if user is not None:
            client.force_login(user)
            client.get("/")  # Oscar opens a signed-in reader's (empty) basket on any page
            before = database()
        response = client.get(url.removeprefix(SITE))
        endpoint = route.endswith(("/preparer/", "/enregistrer/", "/terminer/"))
        expected = 405 if endpoint else 200
        expected = 302 if "password" in route else expected
        assert response.status_code == expected, route
        assert database() == before, f"a GET of {route} changed the database"
    assert NewsletterSubscriber.objects.get().status == NewsletterSubscriber.Status.PENDING
