"""A monthly donor's own page (signed link or account): how the gift is paid, its amount, a
pause; the real SDK against the stand-in, Stripe never mocked."""

import datetime
import html
import re
import time
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from donations import links, schedule
from donations.models import Donation, Mandate, MonthlyGift
from donations.services import monthly_schedule
from payments import gateway
from tests.support import stripe_standin as standin_helpers
from tests.support.accounts import verified
from tests.support.concurrency import concurrent, run_together
from tests.support.donations import give, make_donor, monthly_gift, paid_donation, pay, spaced

pytestmark = pytest.mark.usefixtures("association", "outbox_emails")

SITE = "http://127.0.0.1:8000"
UNAVAILABLE = "Votre don mensuel n'a pas pu être modifié pour le moment."


def subscribed(client, standin, amount="20") -> MonthlyGift:
    give(client, frequency="monthly", amount=amount)
    assert pay(client, standin).status_code == 200
    gift = MonthlyGift.objects.get()
    assert gift.status == MonthlyGift.Status.ACTIVE
    return gift


def page_url(gift) -> str:
    return links.manage_url(gift).removeprefix(SITE)


def links_to(page: str, gift, suffix: str) -> bool:
    """Whether the page links to ``suffix`` of the gift's signed links (they carry the second
    they were made, so they are compared by the gift they name)."""
    tokens = re.findall(r"/don/mensuel/([^/\s\"]+)/" + re.escape(suffix), page)
    return any(links.monthly_gift_of(token) == gift for token in tokens)


def action(gift, name) -> str:
    return page_url(gift) + {"amount": "montant/", "pause": "pause/", "resume": "reprendre/"}[name]


def stripe_subscription(gift):
    return gateway.client().v1.subscriptions.retrieve(gift.stripe_subscription_id)


def text(response) -> str:
    return spaced(html.unescape(response.content.decode()))


def stripe_off(settings):
    """Stripe out of reach: the SDK pointed at a port nobody listens on."""
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{standin_helpers.free_port()}"


# --- The page ---------------------------------------------------------------------------------


def test_the_page_of_a_card_gift_says_how_much_since_when_and_the_next_debit(
    client, stripe_standin
):
    gift = subscribed(client, stripe_standin)
    MonthlyGift.objects.filter(pk=gift.pk).update(payment_label="Visa •••• 4242")

    page = text(Client().get(page_url(gift)))

    started = gift.started_at.astimezone(timezone.get_current_timezone()).date()
    next_debit = schedule.add_months(started, 1)
    assert "20,00 € chaque mois depuis le" in page
    assert "Actif." in page and "Visa •••• 4242" in page
    assert f"Prochain paiement : {next_debit.day}" in page  # a card: no "prélèvement"
    assert links_to(page, gift, "paiement/") and links_to(page, gift, "arreter/")
    for form in ("montant/", "pause/"):
        assert f'action="{page_url(gift)}{form}"' in page


def test_the_page_of_a_sepa_gift_shows_its_mandate(client):
    donor = make_donor()
    mandate = Mandate.objects.create(
        donor=donor,
        reference="KIOSQUE-MANDAT-0042",
        signed_at=timezone.make_aware(datetime.datetime(2026, 3, 14, 10)),
        account_holder="Marie Curie",
        account_label="FR•• •••• •••• 2606",
        stripe_payment_method_id="pm_sepa",
    )
    gift = monthly_gift(donor)
    MonthlyGift.objects.filter(pk=gift.pk).update(
        method=Donation.Method.DIRECT_DEBIT,
        mandate=mandate,
        payment_label="FR•• •••• •••• 2606",
    )
    page = text(Client().get(page_url(gift)))
    for shown in ("FR•• •••• •••• 2606", "Marie Curie", "KIOSQUE-MANDAT-0042", "14 mars 2026"):
        assert shown in page, shown


def test_a_lapsed_gift_warns_and_links_to_a_new_payment_method(client):
    gift = monthly_gift(make_donor())
    gift.stripe_subscription_id = "sub_lapsed"
    gift.lapsed_at = timezone.now()
    gift.save()
    page = text(Client().get(page_url(gift)))
    assert "Le dernier paiement de ce don a été refusé" in page
    assert links_to(page, gift, "paiement/")
    assert "Mettez d'abord à jour" in page and not links_to(page, gift, "pause/")

    MonthlyGift.objects.filter(pk=gift.pk).update(recovered_at=timezone.now())
    assert "a été refusé" not in text(Client().get(page_url(gift)))


def test_a_stopped_gift_shows_no_form(client, stripe_standin):
    gift = subscribed(client, stripe_standin)
    Client().post(links.stop_url(gift).removeprefix(SITE))
    page = text(Client().get(page_url(gift)))
    assert "Arrêté le" in page and "Rien ne sera plus prélevé" in page
    for suffix in ("montant/", "pause/", "reprendre/", "arreter/"):
        assert not links_to(page, gift, suffix)


def test_the_account_page_links_each_gift_to_its_page_and_shows_sepa_mandates(
    client, stripe_standin, django_user_model
):
    reader = verified(django_user_model.objects.create_user("m", "marie@example.org", "x-pass-123"))
    client.force_login(reader)
    gift = subscribed(client, stripe_standin)
    mandate = Mandate.objects.create(
        donor=gift.donor,
        reference="KIOSQUE-MANDAT-0007",
        signed_at=timezone.now(),
        account_label="FR•• •••• •••• 2606",
        stripe_payment_method_id="pm_sepa",
    )
    paid_donation(gift.donor, "30", method="direct_debit", mandate=mandate)
    other = monthly_gift(make_donor(email="bob@example.org"))

    page = text(client.get(reverse("donations:account")))

    # Signed links carry the second they were made: compare the gifts they name.
    linked = {
        links.monthly_gift_of(token) for token in re.findall(r"/don/mensuel/([^/\s\"]+)/", page)
    }
    assert "Gérer" in page and linked == {gift}
    assert other not in linked
    assert "Prélèvement SEPA depuis FR•• •••• •••• 2606, mandat KIOSQUE-MANDAT-0007" in page
    assert Client().get(page_url(gift)).status_code == 200  # the link works signed out too


# --- Changing the amount ----------------------------------------------------------------------


def test_the_donor_changes_the_amount_from_the_next_debit(client, stripe_standin):
    gift = subscribed(client, stripe_standin)
    before = stripe_subscription(gift)

    response = Client().post(action(gift, "amount"), {"amount": "35,50"}, follow=True)

    assert "vous donnez 35,50 € chaque mois" in text(response)
    gift.refresh_from_db()
    assert gift.amount == Decimal("35.50")
    after = stripe_subscription(gift)
    assert after["items"]["data"][0]["plan"]["amount"] == 3550
    assert len(after["items"]["data"]) == 1
    # The same day of the month, and nothing credited or billed for the current month.
    assert after.current_period_end == before.current_period_end
    customer = gateway.object_id(after.customer)
    pending = gateway.client().v1.invoice_items.list(params={"customer": customer})
    assert pending.data == []
    assert Donation.objects.count() == 1


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "Le don minimum en ligne est de 5 €."),
        ("-10", "Le don minimum en ligne est de 5 €."),
        ("4,99", "Le don minimum en ligne est de 5 €."),
        ("10000,01", "Les dons en ligne sont limités à 10 000 €."),
        ("99999999999", "Saisissez un montant en euros, par exemple 35 ou 35,50."),
        ("1e3", "Saisissez un montant en euros, par exemple 35 ou 35,50."),
        ("10,999", "Saisissez un montant en euros, par exemple 35 ou 35,50."),
        ("NaN", "Saisissez un montant en euros, par exemple 35 ou 35,50."),
        ("", "Ce champ est obligatoire."),
    ],
)
def test_an_amount_the_donation_page_refuses_is_refused_and_the_form_kept(
    client, stripe_standin, typed, message
):
    gift = subscribed(client, stripe_standin)
    response = Client().post(action(gift, "amount"), {"amount": typed})
    page = text(response)
    assert response.status_code == 200
    assert message in page
    assert f'value="{typed}"' in page
    gift.refresh_from_db()
    assert gift.amount == Decimal("20.00")
    assert stripe_subscription(gift)["items"]["data"][0]["plan"]["amount"] == 2000


def test_a_double_submit_changes_stripe_once(client, stripe_standin, settings):
    gift = subscribed(client, stripe_standin)
    Client().post(action(gift, "amount"), {"amount": "30"})
    stripe_off(settings)  # the second submit must not need Stripe: it finds the change made

    response = Client().post(action(gift, "amount"), {"amount": "30"}, follow=True)

    assert UNAVAILABLE not in text(response)
    assert "vous donnez 30 € chaque mois" in text(response)
    settings.STRIPE_API_BASE = stripe_standin.url
    assert stripe_subscription(gift)["items"]["data"][0]["plan"]["amount"] == 3000


@concurrent
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submits_leave_stripe_and_the_gift_agreeing(client, stripe_standin):
    """Two tabs, two changes at the same instant: one after the other (the gift's row lock),
    never our amount or pause saying one thing and Stripe's another."""
    gift = subscribed(client, stripe_standin)
    run_together(
        lambda: Client().post(action(gift, "amount"), {"amount": "30"}),
        lambda: Client().post(action(gift, "amount"), {"amount": "40"}),
    )
    gift.refresh_from_db()
    assert gift.amount in (Decimal("30"), Decimal("40"))
    plan = stripe_subscription(gift)["items"]["data"][0]["plan"]
    assert plan["amount"] == gateway.to_cents(gift.amount)

    answers = run_together(
        lambda: Client().post(action(gift, "pause"), {"months": "1"}, follow=True),
        lambda: Client().post(action(gift, "pause"), {"months": "3"}, follow=True),
    )
    assert sorted("déjà en pause" in text(answer) for answer in answers) == [False, True]
    gift.refresh_from_db()
    trial_end = datetime.datetime.fromtimestamp(
        stripe_subscription(gift).trial_end, tz=datetime.UTC
    )
    assert timezone.localdate(trial_end) == gift.paused_until


def test_stripe_out_of_reach_changes_nothing_and_keeps_the_form(client, stripe_standin, settings):
    gift = subscribed(client, stripe_standin)
    stripe_off(settings)

    response = Client().post(action(gift, "amount"), {"amount": "45"})

    assert UNAVAILABLE in text(response) and 'value="45"' in text(response)
    gift.refresh_from_db()
    assert gift.amount == Decimal("20.00")
    settings.STRIPE_API_BASE = stripe_standin.url
    assert stripe_subscription(gift)["items"]["data"][0]["plan"]["amount"] == 2000


def test_with_real_stripe_no_proration_is_asked_which_the_stand_in_refuses(
    client, stripe_standin, settings
):
    """Outside demo mode the update carries ``proration_behavior: none`` (real Stripe's); the
    stand-in answers it with a 500: the donor reads the French error, nothing changed."""
    gift = subscribed(client, stripe_standin)
    settings.STRIPE_DEMO_MODE = False

    response = Client().post(action(gift, "amount"), {"amount": "45"})

    assert UNAVAILABLE in text(response)
    gift.refresh_from_db()
    assert gift.amount == Decimal("20.00")
    assert stripe_subscription(gift)["items"]["data"][0]["plan"]["amount"] == 2000


# --- Pausing ----------------------------------------------------------------------------------


def test_a_pause_skips_debits_then_resumes_on_the_same_day(client, stripe_standin):
    gift = subscribed(client, stripe_standin)
    next_debit = stripe_subscription(gift).current_period_end

    response = Client().post(action(gift, "pause"), {"months": "2"}, follow=True)

    gift.refresh_from_db()
    resumes = schedule.add_months(datetime.datetime.fromtimestamp(next_debit, tz=datetime.UTC), 2)
    assert stripe_subscription(gift).trial_end == int(resumes.timestamp())
    assert gift.paused_until == timezone.localdate(resumes)
    page = text(response)
    assert "reprend de lui-même le" in page and "En pause jusqu'au" in page
    assert f"Prochain paiement : {gift.paused_until.day}" in page
    assert "Reprendre maintenant" in page


def test_a_paused_gift_is_not_paused_twice(client, stripe_standin):
    gift = subscribed(client, stripe_standin)
    Client().post(action(gift, "pause"), {"months": "1"})
    gift.refresh_from_db()
    trial_end, paused_until = stripe_subscription(gift).trial_end, gift.paused_until

    response = Client().post(action(gift, "pause"), {"months": "3"}, follow=True)

    assert "déjà en pause" in text(response)
    gift.refresh_from_db()
    assert gift.paused_until == paused_until
    assert stripe_subscription(gift).trial_end == trial_end


def test_resuming_early_brings_the_next_debit_back_on_the_same_day(client, stripe_standin):
    gift = subscribed(client, stripe_standin)
    next_debit = stripe_subscription(gift).current_period_end
    Client().post(action(gift, "pause"), {"months": "3"})

    response = Client().post(action(gift, "resume"), follow=True)

    assert "Votre don mensuel a repris" in text(response)
    gift.refresh_from_db()
    assert gift.paused_until is None
    assert stripe_subscription(gift).trial_end == next_debit  # not at once: no debit today


@pytest.mark.parametrize("months", ["0", "4", "-1", "un", ""])
def test_a_pause_of_another_length_is_refused(client, stripe_standin, months):
    gift = subscribed(client, stripe_standin)
    response = Client().post(action(gift, "pause"), {"months": months})
    refusal = "Ce champ est obligatoire" if months == "" else "Sélectionnez un choix valide"
    assert response.status_code == 200 and refusal in text(response)
    gift.refresh_from_db()
    assert gift.paused_until is None and stripe_subscription(gift).trial_end is None


def test_a_lapsed_gift_cannot_be_paused(client, stripe_standin):
    gift = subscribed(client, stripe_standin)
    MonthlyGift.objects.filter(pk=gift.pk).update(lapsed_at=timezone.now())
    response = Client().post(action(gift, "pause"), {"months": "1"}, follow=True)
    assert "mettez d'abord à jour" in text(response)
    gift.refresh_from_db()
    assert gift.paused_until is None and stripe_subscription(gift).trial_end is None


# --- Abuse ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["amount", "pause", "resume"])
def test_a_stopped_gift_cannot_be_changed_or_paused(client, stripe_standin, name):
    gift = subscribed(client, stripe_standin)
    Client().post(links.stop_url(gift).removeprefix(SITE))

    response = Client().post(action(gift, name), {"amount": "50", "months": "1"}, follow=True)

    assert "Ce don mensuel est arrêté" in text(response)
    gift.refresh_from_db()
    assert (gift.amount, gift.paused_until) == (Decimal("20.00"), None)
    assert stripe_subscription(gift)["items"]["data"][0]["plan"]["amount"] == 2000


@pytest.mark.parametrize("name", ["amount", "pause"])
def test_a_gift_not_started_cannot_be_changed_or_paused(client, name):
    gift = monthly_gift(make_donor())
    MonthlyGift.objects.filter(pk=gift.pk).update(status=MonthlyGift.Status.PENDING)
    response = Client().post(action(gift, name), {"amount": "50", "months": "1"}, follow=True)
    assert "Ce don mensuel n'a pas commencé" in text(response)
    gift.refresh_from_db()
    assert (gift.amount, gift.paused_until) == (Decimal("10.00"), None)


@pytest.mark.parametrize("name", ["page", "amount", "pause", "resume"])
def test_a_forged_or_expired_link_is_refused(client, stripe_standin, monkeypatch, settings, name):
    gift = subscribed(client, stripe_standin)
    url = page_url(gift) if name == "page" else action(gift, name)
    token = url.split("/")[3]
    forged = url.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B"))
    data = {"amount": "50", "months": "1"}
    assert Client().post(forged, data).status_code == 403
    assert Client().get(f"/don/mensuel/{gift.pk}/").status_code == 403  # no signature at all

    later = time.time() + (settings.KIOSQUE_DONOR_LINK_DAYS + 1) * 86400
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    response = Client().post(url, data)
    assert response.status_code == 403 and "Ce lien n'est plus valide" in text(response)
    gift.refresh_from_db()
    assert (gift.amount, gift.paused_until) == (Decimal("20.00"), None)


def test_a_post_naming_another_donors_gift_changes_only_the_links_own(client, stripe_standin):
    gift = subscribed(client, stripe_standin)
    bobs = monthly_gift(make_donor(email="bob@example.org"), amount="15")

    Client().post(action(gift, "amount"), {"amount": "25", "gift": bobs.pk, "pk": bobs.pk})

    bobs.refresh_from_db()
    gift.refresh_from_db()
    assert (bobs.amount, gift.amount) == (Decimal("15.00"), Decimal("25.00"))
    # Another donor's gift is reached by its own signed link only: its pk is not one.
    assert Client().post(f"/don/mensuel/{bobs.pk}/montant/", {"amount": "1"}).status_code == 403


def test_the_forms_need_their_csrf_token(client, stripe_standin):
    gift = subscribed(client, stripe_standin)
    browser = Client(enforce_csrf_checks=True)
    for name in ("amount", "pause", "resume"):
        response = browser.post(action(gift, name), {"amount": "50", "months": "1"})
        assert response.status_code == 403, name
    gift.refresh_from_db()
    assert (gift.amount, gift.paused_until) == (Decimal("20.00"), None)


def test_a_get_of_a_form_url_changes_nothing(client, stripe_standin):
    gift = subscribed(client, stripe_standin)
    response = Client().get(action(gift, "pause") + "?months=1")
    assert response.status_code == 200 and "Mettre mon don en pause" in text(response)
    gift.refresh_from_db()
    assert gift.paused_until is None


def test_resuming_a_pause_ending_on_a_short_month_keeps_the_gift_s_day(monkeypatch):
    """Next debit on 30 December, paused two months: 28 February (no 30th). Resumed on
    30 November, the next debit is 30 December again, not the 28th."""
    utc = datetime.UTC
    monkeypatch.setattr(
        monthly_schedule.timezone, "now", lambda: datetime.datetime(2026, 11, 30, 9, tzinfo=utc)
    )
    gift = MonthlyGift(started_at=datetime.datetime(2026, 10, 30, 9, tzinfo=utc))
    next_debit = datetime.datetime(2026, 12, 30, 9, tzinfo=utc)
    paused_until = schedule.add_months(next_debit, 2, day=schedule.debit_day(gift, next_debit))
    assert paused_until == datetime.datetime(2027, 2, 28, 9, tzinfo=utc)

    resumed = monthly_schedule._first_ahead(
        paused_until, day=schedule.debit_day(gift, paused_until)
    )

    assert resumed == datetime.datetime(2026, 12, 30, 9, tzinfo=utc)
    # And a pause from a short month's last day lands back on the gift's day.
    assert schedule.add_months(
        paused_until, 1, day=schedule.debit_day(gift, paused_until)
    ) == datetime.datetime(2027, 3, 30, 9, tzinfo=utc)
