"""An account owns what was bought, given or received under an email only once it has
confirmed that email (issue 16, item 1: account takeover by email)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import URLPattern, reverse
from oscar.core.loading import get_class, get_model

from accounts import links, services
from accounts.models import VerifiedEmail
from donations.models import Donor, MonthlyGift, Receipt
from kiosque.models import OutboxEmail
from magazine import services as magazine_services
from magazine.models import Entitlement, Subscription
from tests.support.accounts import confirmation_path
from tests.support.donations import give
from tests.support.donations import pay as pay_gift
from tests.support.magazine import DIGITAL_ONLY, PRINT_AND_DIGITAL, place_order

pytestmark = pytest.mark.usefixtures("demo", "outbox_emails")

Basket = get_model("basket", "Basket")
Product = get_model("catalogue", "Product")
Selector = get_class("partner.strategy", "Selector")

VICTIM = "victime@example.org"
PASSWORD = "un-mot-de-passe-long"


def register(client, email: str):
    response = client.post(
        reverse("customer:login"),
        {
            "registration-email": email,
            "registration-password1": PASSWORD,
            "registration-password2": PASSWORD,
            "registration_submit": "1",
        },
    )
    return response


def gift_order(*, buyer: str, recipient: str, name: str, message: str):
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    gift = magazine_services.gift_option_value(
        name=name, email=recipient, line1="1 rue Basse", line2="", postcode="69001",
        city="Lyon", country="FR", message=message,
    )  # fmt: skip
    magazine_services.add_to_basket(basket, Product.objects.get(upc=DIGITAL_ONLY), gift=gift)
    return place_order(basket=basket, email=buyer)


@pytest.fixture
def victims_things(stripe_standin):
    """What the victim did as a guest with their email: gifts (one receipt, one monthly gift),
    a digital issue and a subscription, a gift offered to a friend, a gift received."""
    guest = Client()
    give(guest, email=VICTIM, amount="50")
    pay_gift(guest, stripe_standin)
    give(guest, email=VICTIM, frequency="monthly", amount="20")
    pay_gift(guest, stripe_standin)
    order = place_order("ECHO-002-N", PRINT_AND_DIGITAL, email=VICTIM)
    gift_order(buyer=VICTIM, recipient="ami@example.org", name="Ami Destinataire",
               message="Pour toi, l'ami")  # fmt: skip
    gift_order(buyer="tante@example.org", recipient=VICTIM, name="Victime",
               message="De la part de ta tante")  # fmt: skip
    return {
        "receipt": Receipt.objects.filter(donor__email=VICTIM).first(),
        "monthly_gift": MonthlyGift.objects.get(donor__email=VICTIM),
        "order": order,
        # What must not appear in anyone else's pages.
        "marks": [
            *Receipt.objects.filter(donor__email=VICTIM).values_list("number", flat=True),
            "Ami Destinataire",
            "Pour toi, l&#x27;ami",
            "De la part de ta tante",
            "papier + numérique",
            reverse("magazine:download", args=[2]),
            str(order.number),
            "50,00",
            "20,00",
        ],
    }


def account_urls() -> set[str]:
    """Every URL name of the reader's space and donor pages that needs a signed-in reader."""
    from django.contrib.auth.mixins import LoginRequiredMixin

    from donations import urls as donation_urls
    from magazine import urls as magazine_urls

    names = set()
    for module in (magazine_urls, donation_urls):
        for pattern in module.urlpatterns:
            assert isinstance(pattern, URLPattern)
            view = getattr(pattern.callback, "view_class", None)
            if view is not None and issubclass(view, LoginRequiredMixin):
                names.add(f"{module.app_name}:{pattern.name}")
    return names


def walk(client, things) -> dict[str, int]:
    """Every page and action of the account, as the signed-in ``client``: the statuses."""
    receipt, gift = things["receipt"], things["monthly_gift"]
    statuses = {}
    for name, method, args in (
        ("magazine:reader-space", "get", ()),
        ("magazine:download", "get", (2,)),
        ("donations:account", "get", ()),
        ("donations:account-receipt", "get", (receipt.number,)),
        ("donations:account-stop-monthly-gift", "post", (gift.pk,)),
        ("customer:order-list", "get", ()),
        ("customer:summary", "get", ()),
    ):
        response = getattr(client, method)(reverse(name, args=args), follow=False)
        statuses[name] = response.status_code
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text"):
            page = response.content.decode()
            for mark in things["marks"]:
                assert mark not in page, (name, mark)
    return statuses


def test_an_account_with_a_guest_s_email_in_another_case_gets_nothing_of_theirs(
    client, victims_things
):
    register(client, "Victime@Example.ORG")
    assert client.session.get("_auth_user_id"), "registered and signed in"

    statuses = walk(client, victims_things)

    assert set(statuses) >= account_urls()  # the walk covers every page of the account
    assert statuses["magazine:download"] == 403
    assert statuses["donations:account-receipt"] == 404
    assert statuses["donations:account-stop-monthly-gift"] == 404
    victims_things["monthly_gift"].refresh_from_db()
    assert victims_things["monthly_gift"].status == MonthlyGift.Status.ACTIVE
    assert not Subscription.objects.filter(recipient_email=VICTIM, user__isnull=False).exists()
    assert not Entitlement.objects.filter(email=VICTIM, user__isnull=False).exists()

    # Giving while signed in with that email links nothing either.
    assert give(client, email=VICTIM.upper(), amount="50").status_code == 302
    assert Donor.objects.get(email=VICTIM).user is None
    walk(client, victims_things)

    # Nor does a gift sent to that email afterwards.
    gift_order(buyer="oncle@example.org", recipient=VICTIM, name="Victime",
               message="De la part de ton oncle")  # fmt: skip
    assert not Subscription.objects.filter(recipient_email=VICTIM, user__isnull=False).exists()
    page = client.get(reverse("magazine:reader-space")).content.decode()
    assert "De la part de ton oncle" not in page


def test_after_following_the_link_everything_of_that_email_is_the_account_s(
    client, victims_things, stripe_standin
):
    register(client, "VICTIME@example.org")  # the owner, in yet another case
    walk(client, victims_things)  # nothing before the link is followed

    response = client.post(confirmation_path("VICTIME@example.org"))

    assert response.status_code == 302
    user = get_user_model().objects.get(email__iexact=VICTIM)
    assert VerifiedEmail.objects.get(user=user).email == VICTIM
    page = client.get(reverse("magazine:reader-space")).content.decode()
    order = str(victims_things["order"].number)
    marks = ("Ami Destinataire", "De la part de ta tante", "papier + numérique",
             reverse("magazine:download", args=[2]), order)  # fmt: skip
    for mark in marks:
        assert mark in page, mark
    assert Subscription.objects.filter(recipient_email=VICTIM).exclude(user=user).count() == 0
    assert Entitlement.objects.get(email=VICTIM, issue__number=2).user == user
    assert order in client.get(reverse("customer:order-list")).content.decode()
    assert client.get(reverse("magazine:download", args=[2])).status_code == 200
    donations = client.get(reverse("donations:account")).content.decode()
    receipt = victims_things["receipt"]
    assert receipt.number in donations and "Arrêter" in donations
    download = client.get(reverse("donations:account-receipt", args=[receipt.number]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    gift = victims_things["monthly_gift"]
    stopped = client.post(reverse("donations:account-stop-monthly-gift", args=[gift.pk]))
    assert stopped.status_code == 302
    gift.refresh_from_db()
    assert gift.status == MonthlyGift.Status.STOPPED


def test_the_link_works_only_for_its_account_and_expires(client, settings, monkeypatch):
    import time

    register(client, "lea@example.org")
    path = confirmation_path("lea@example.org")
    lea = get_user_model().objects.get(email="lea@example.org")

    anonymous = Client()
    assert anonymous.get(path).status_code == 302  # to the login page
    assert anonymous.post(path).status_code == 302
    other = Client()
    register(other, "autre@example.org")
    assert other.get(path).status_code == 403  # someone else's account: refused
    assert other.post(path).status_code == 403
    forged = path[:-6] + ("x" if path[-6] != "x" else "y") + path[-5:]
    assert client.get(forged).status_code == 403
    assert client.post(forged).status_code == 403
    later = time.time() + (settings.KIOSQUE_EMAIL_CONFIRM_DAYS * 24 + 1) * 3600
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get(path).status_code == 403  # expired
    expired = client.post(path)
    assert (
        expired.status_code == 403
        and "Ce lien de confirmation a expiré" in expired.content.decode()
    )
    monkeypatch.undo()
    assert not VerifiedEmail.objects.filter(user=lea).exists()
    # Her own link, followed (by her, or a mail scanner in her browser): a page and a
    # button; only the button confirms.
    page = client.get(path).content.decode()
    assert "Confirmer mon adresse" in page and "lea@example.org" in page
    assert not VerifiedEmail.objects.filter(user=lea).exists()

    # The page offers to send it again; the new link works.
    page = client.get(reverse("magazine:reader-space")).content.decode()
    assert reverse("accounts:send-confirmation") in page and "pas encore confirmée" in page
    client.post(reverse("accounts:send-confirmation"))
    assert OutboxEmail.objects.filter(
        to=["lea@example.org"], subject="Confirmez votre adresse email"
    ).exists()
    assert (
        OutboxEmail.objects.filter(to=["lea@example.org"], body__contains="confirmer").count() == 2
    )
    assert client.post(confirmation_path("lea@example.org")).status_code == 302
    assert VerifiedEmail.objects.filter(user=lea, email="lea@example.org").exists()
    page = client.get(reverse("magazine:reader-space")).content.decode()
    assert reverse("accounts:send-confirmation") not in page
    assert "Renvoyez-moi le lien" not in page


def test_asking_for_the_link_again_and_again_sends_a_few(client, settings):
    register(client, "flot@example.org")
    for _ in range(settings.KIOSQUE_EMAILS_PER_ADDRESS + 5):
        client.post(reverse("accounts:send-confirmation"))
    sent = OutboxEmail.objects.filter(to=["flot@example.org"], body__contains="confirmer")
    assert sent.count() == 1 + settings.KIOSQUE_EMAILS_PER_ADDRESS


def test_emails_are_unique_whatever_their_case(client, django_user_model):
    django_user_model.objects.create_user("v", VICTIM, PASSWORD)

    response = register(client, "Victime@EXAMPLE.org")
    assert response.status_code == 200 and "existe déjà" in response.content.decode()
    assert django_user_model.objects.filter(email__iexact=VICTIM).count() == 1

    # The database refuses it too, whoever writes (admin, shell).
    with pytest.raises(IntegrityError), transaction.atomic():
        django_user_model.objects.create_user("w", "VICTIME@example.org", PASSWORD)

    # Nor the admin's user form.
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", PASSWORD)
    staff = Client()
    staff.force_login(admin)
    response = staff.post(
        reverse("admin:auth_user_change", args=[admin.pk]),
        {"username": "admin", "email": "VICTIME@Example.org", "is_active": "on",
         "is_staff": "on", "is_superuser": "on", "date_joined_0": "2026-01-01",
         "date_joined_1": "12:00:00"},
    )  # fmt: skip
    assert (
        response.status_code == 200 and "Un autre compte utilise déjà" in response.content.decode()
    )

    # A profile cannot take it either.
    register(client, "autre@example.org")
    response = client.post(
        reverse("customer:profile-update"),
        {"first_name": "A", "last_name": "B", "email": "Victime@Example.org"},
    )
    assert response.status_code == 200 and "existe déjà" in response.content.decode()
    assert django_user_model.objects.filter(email="autre@example.org").exists()


def test_a_new_email_is_the_account_s_once_verified(client, victims_things):
    register(client, "ancien@example.org")
    client.post(confirmation_path("ancien@example.org"))
    user = get_user_model().objects.get(email="ancien@example.org")

    response = client.post(
        reverse("customer:profile-update"),
        {"first_name": "Vic", "last_name": "Time", "email": "Victime@Example.org"},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "ancien@example.org" and user.first_name == "Vic"  # kept until verified
    walk(client, victims_things)  # nothing of the new email's yet
    assert OutboxEmail.objects.filter(to=["Victime@example.org"]).exists()

    assert client.post(confirmation_path("Victime@example.org")).status_code == 302

    user.refresh_from_db()
    assert user.email == VICTIM
    assert VerifiedEmail.objects.get(user=user).email == VICTIM
    page = client.get(reverse("magazine:reader-space")).content.decode()
    assert "De la part de ta tante" in page
    assert (
        victims_things["receipt"].number
        in client.get(reverse("donations:account")).content.decode()
    )
    told = OutboxEmail.objects.filter(to=["ancien@example.org"]).order_by("-pk").first()
    assert VICTIM in told.body  # the old address is told of the change

    # The old email is free again: whoever registers it must verify it in turn.
    other = Client()
    register(other, "ancien@example.org")
    assert other.post(confirmation_path("ancien@example.org")).status_code == 302


def test_the_demo_accounts_count_as_verified():
    from accounts.demo import STAFF, TREASURER

    for account in (STAFF, TREASURER):
        user = get_user_model().objects.get(email=account.email)
        assert VerifiedEmail.objects.get(user=user).email == account.email


def test_the_verification_link_is_signed_for_the_account_and_the_email(django_user_model):
    user = django_user_model.objects.create_user("s", "s@example.org", PASSWORD)
    token = links.confirm_url(user, "S@Example.org").rstrip("/").rsplit("/", 1)[1]
    assert links.confirmation_of(token) == (user.pk, "s@example.org")
    assert links.confirmation_of(token + "x") is None
    assert services.confirm_email(user=user, email="s@example.org") == "s@example.org"


def test_a_subscription_bought_from_an_unverified_account_does_not_renew_the_guest_s(client):
    from tests.support.magazine import subscription_of

    guests = subscription_of(place_order(PRINT_AND_DIGITAL, email=VICTIM))
    register(client, "Victime@Example.org")
    account = get_user_model().objects.get(email__iexact=VICTIM)

    own = subscription_of(place_order(PRINT_AND_DIGITAL, user=account))

    guests.refresh_from_db()
    assert own.renews is None and own.first_issue == guests.first_issue
    assert not hasattr(guests, "renewed_by")  # the guest's subscription is renewed by none

    # Once the email is the account's, its next subscription follows on from the guest's.
    client.post(confirmation_path("Victime@example.org"))
    account.refresh_from_db()
    later = subscription_of(place_order(PRINT_AND_DIGITAL, user=account))
    assert later.renews in (guests, own)
