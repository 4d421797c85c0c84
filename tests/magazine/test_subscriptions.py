"""From a paid order to subscriptions and digital issues; renewals; gifts; the reader's space."""

import pytest
from django.urls import reverse
from oscar.apps.order.signals import order_placed

from kiosque.models import OutboxEmail
from magazine import links, services
from magazine.models import Entitlement, Issue, Subscription
from tests.support.accounts import confirmation_path
from tests.support.magazine import (
    DIGITAL_ONLY,
    PRINT_AND_DIGITAL,
    PRINT_ONLY,
    Product,
    basket_of,
    place_order,
    subscription_of,
)

pytestmark = pytest.mark.usefixtures("demo", "outbox_emails")


def test_a_paid_order_creates_its_subscription_and_digital_issue_once():
    order = place_order(PRINT_AND_DIGITAL, "ECHO-002-N")

    subscription = subscription_of(order)
    # The demo has published n°1 to n°3: a subscription starts with n°4, for 4 issues.
    assert (subscription.first_issue, subscription.last_issue) == (4, 7)
    assert subscription.format == Subscription.Format.BOTH
    assert subscription.recipient_email == "louise@example.org"
    assert subscription.address == {
        "line1": "3 rue de la Paix",
        "line2": "",
        "postcode": "69001",
        "city": "Lyon",
        "country": "FR",
    }
    entitlement = Entitlement.objects.get()
    assert (entitlement.email, entitlement.issue.number) == ("louise@example.org", 2)
    email = OutboxEmail.objects.get(subject__contains="n°2")
    assert "/numeros/telechargement/" in email.body

    # The hook runs again (a retried task, a second signal): nothing more.
    order_placed.send(sender=None, order=order, user=None)
    services.fulfil_order(order)
    assert Subscription.objects.count() == 1
    assert Entitlement.objects.count() == 1
    assert OutboxEmail.objects.filter(subject__contains="n°2").count() == 1


def test_two_copies_make_two_subscriptions():
    order = place_order(PRINT_ONLY, quantity=2)
    assert sorted(Subscription.objects.values_list("copy", flat=True)) == [1, 2]
    services.fulfil_order(order)
    assert Subscription.objects.filter(order_line__order=order).count() == 2


def test_a_renewal_continues_right_after_the_running_subscription():
    first = subscription_of(place_order(PRINT_ONLY))
    renewal = subscription_of(place_order(PRINT_ONLY))

    assert (renewal.first_issue, renewal.last_issue) == (8, 11)
    assert renewal.renews == first
    # Another format is another subscription, from the next issue.
    digital = subscription_of(place_order(DIGITAL_ONLY))
    assert (digital.first_issue, digital.renews) == (4, None)


def test_an_ended_subscription_is_not_continued():
    old = subscription_of(place_order(PRINT_ONLY))
    Subscription.objects.filter(pk=old.pk).update(first_issue=1, last_issue=2)
    new = subscription_of(place_order(PRINT_ONLY))
    assert (new.first_issue, new.renews) == (4, None)


def test_the_renewal_link_puts_the_right_renewal_in_the_basket(client):
    running = subscription_of(place_order(PRINT_ONLY, email="marie@example.org"))
    url = links.renew_url(running).removeprefix("http://127.0.0.1:8000")

    # The link opens a page with a button; following it (a mail scanner) fills no basket.
    page = client.get(url).content.decode()
    assert "Ajouter le renouvellement à mon panier" in page and "n°8" in page
    assert client.get(reverse("basket:summary")).context["basket"].num_lines == 0

    response = client.post(url)

    assert response.url == reverse("basket:summary")
    basket = basket_of(client)
    (line,) = basket.all_lines()
    assert line.product.upc == PRINT_ONLY
    assert line.attributes.get(option__code="renews").value == str(running.pk)
    # Paid by someone else (a relative) with another email: still continues that one.
    renewal = subscription_of(place_order(basket=basket, email="relative@example.org"))
    assert (renewal.first_issue, renewal.renews) == (running.last_issue + 1, running)


def test_a_forged_renewal_link_fills_no_basket(client):
    running = subscription_of(place_order(PRINT_ONLY, email="marie@example.org"))
    url = links.renew_url(running).removeprefix("http://127.0.0.1:8000")
    token = url.rstrip("/").rsplit("/", 1)[1]
    for forged in (
        url.replace(token, f"{running.pk + 1}:" + token.split(":", 1)[1]),
        url[:-3] + "x/",
    ):
        response = client.post(forged)
        assert response.status_code == 403
        assert "Ce lien de réabonnement a expiré" in response.content.decode()
    assert client.get(reverse("basket:summary")).context["basket"].num_lines == 0


def test_a_gift_subscription(client, django_user_model):
    product = Product.objects.get(upc=PRINT_AND_DIGITAL)
    response = client.post(
        reverse("magazine:gift", args=[product.pk]),
        {
            "name": "Jeanne Amie",
            "email": "Jeanne@Example.org",
            "line1": "8 rue Haute",
            "postcode": "1000",
            "city": "Bruxelles",
            "country": "BE",
            "message": "Bon anniversaire !",
        },
    )
    assert response.url == reverse("basket:summary")
    basket = basket_of(client)

    order = place_order(basket=basket, email="louise@example.org")

    gift = subscription_of(order)
    assert gift.is_gift and gift.gift_message == "Bon anniversaire !"
    assert (gift.recipient_name, gift.recipient_email) == ("Jeanne Amie", "jeanne@example.org")
    assert gift.address["city"] == "Bruxelles" and gift.address["country"] == "BE"
    assert gift.buyer_email == "louise@example.org" and gift.user is None
    told = OutboxEmail.objects.get(to=["jeanne@example.org"])
    assert "Bon anniversaire !" in told.body and "n°4" in told.body

    # Jeanne signs up with that email: the gift is in her reader's space.
    client.post(
        reverse("customer:login"),
        {
            "registration-email": "jeanne@example.org",
            "registration-password1": "un-mot-de-passe-long",
            "registration-password2": "un-mot-de-passe-long",
            "registration_submit": "1",
        },
    )
    gift.refresh_from_db()
    assert gift.user is None  # not before she proves the email is hers
    assert "Bon anniversaire" not in client.get(reverse("magazine:reader-space")).content.decode()
    client.post(confirmation_path("jeanne@example.org"))
    gift.refresh_from_db()
    assert gift.user is not None and gift.user.email == "jeanne@example.org"
    page = client.get(reverse("magazine:reader-space")).content.decode()
    assert "Bon anniversaire !" in page and "n°4" in page


def test_the_reader_s_space(client, django_user_model):
    reader = django_user_model.objects.create_user("l", "louise@example.org", "x-long-password")
    order = place_order(PRINT_AND_DIGITAL, "ECHO-002-N", user=reader)
    client.force_login(reader)

    page = client.get(reverse("magazine:reader-space")).content.decode()

    assert "Abonnement 1 an — papier + numérique" in page
    assert "4 numéros à venir" in page
    assert reverse("magazine:download", args=[2]) in page
    assert str(order.number) in page
    assert "var/private" not in page and "issues/numero-2.pdf" not in page
    assert Issue.objects.get(number=2).pdf.name not in page
