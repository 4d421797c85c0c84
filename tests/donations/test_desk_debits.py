"""The treasurer's desk and SEPA: how each gift is paid, the debits in progress, the payments
refused and reversed, the monthly gifts lapsed and recovered; the exports' method and mandate.
Treasury only."""

import csv
import datetime
import html
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from donations.models import Donation, Mandate, MonthlyGift
from donations.services.receipts import issue_receipt
from kiosque.access import TREASURER_GROUP
from tests.support.donations import make_donor, paid_donation

pytestmark = pytest.mark.usefixtures("association")

GIFTS = reverse("donations-dashboard:donations")
MONTHLY = reverse("donations-dashboard:monthly-gifts")


@pytest.fixture
def treasurer(client, django_user_model):
    user = django_user_model.objects.create_user(
        "claire", "claire@example.org", "x-long-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name=TREASURER_GROUP))
    client.force_login(user)
    return user


@pytest.fixture
def desk(db):
    """A SEPA donor and a card donor, with every state of payment the desk follows."""
    now = timezone.now()
    curie = make_donor(last_name="Curie")
    bohr = make_donor(email="niels@example.org", last_name="Bohr", first_name="Niels")
    mandate = Mandate.objects.create(
        donor=curie,
        reference="KIOSQUE-MANDAT-0007",
        signed_at=now,
        account_label="FR76 •••• •••• 1234",
        stripe_payment_method_id="pm_sepa",
    )
    sepa = {"method": Donation.Method.DIRECT_DEBIT, "mandate": mandate}
    lapsed = MonthlyGift.objects.create(
        donor=curie, amount=Decimal("10.00"), status=MonthlyGift.Status.ACTIVE,
        failed_payments=1, lapsed_at=now, **sepa,
    )  # fmt: skip
    recovered = MonthlyGift.objects.create(
        donor=bohr, amount=Decimal("12.00"), status=MonthlyGift.Status.ACTIVE,
        lapsed_at=now - datetime.timedelta(days=30), recovered_at=now,
        payment_label="Visa •••• 4242",
    )  # fmt: skip
    relapsed = MonthlyGift.objects.create(
        donor=bohr, amount=Decimal("13.00"), status=MonthlyGift.Status.ACTIVE,
        lapsed_at=now, recovered_at=now - datetime.timedelta(days=30), failed_payments=1,
    )  # fmt: skip
    fine = MonthlyGift.objects.create(
        donor=bohr, amount=Decimal("14.00"), status=MonthlyGift.Status.ACTIVE
    )
    left_unpaid = MonthlyGift.objects.create(donor=bohr, amount=Decimal("99.00"))
    sepa_paid = paid_donation(curie, "40.00", **sepa)
    receipt = issue_receipt([sepa_paid])
    card_paid = paid_donation(bohr, "25.00")
    return {
        "mandate": mandate,
        "receipt": receipt,
        "lapsed": lapsed,
        "recovered": recovered,
        "relapsed": relapsed,
        "fine": fine,
        "left_unpaid": left_unpaid,
        "sepa_paid": sepa_paid,
        "card_paid": card_paid,
        "processing": Donation.objects.create(
            donor=curie, amount=Decimal("30.00"), status=Donation.Status.PROCESSING, **sepa
        ),
        "failed_debit": Donation.objects.create(
            donor=curie,
            amount=Decimal("10.00"),
            status=Donation.Status.FAILED,
            monthly_gift=lapsed,
            invoice_id="in_refused",
            error_code="insufficient_funds",
            **sepa,
        ),
        "refused_in_page": Donation.objects.create(
            donor=bohr,
            amount=Decimal("60.00"),
            status=Donation.Status.FAILED,
            error_code="card_declined",
        ),
        "disputed": paid_donation(bohr, "70.00", status=Donation.Status.DISPUTED),
    }


def listed(response, name):
    assert response.status_code == 200
    return set(response.context[name])


def test_the_gifts_list_says_how_each_was_paid(client, treasurer, desk):
    response = client.get(GIFTS)
    assert listed(response, "donations") == {desk["sepa_paid"], desk["card_paid"]}
    page = response.content.decode()
    assert "Prélèvement SEPA" in page and "mandat KIOSQUE-MANDAT-0007" in page
    assert "Carte bancaire" in page

    by_sepa = client.get(GIFTS, {"method": Donation.Method.DIRECT_DEBIT})
    assert listed(by_sepa, "donations") == {desk["sepa_paid"]}


def test_the_gifts_list_follows_debits_refusals_and_reversals(client, treasurer, desk):
    assert listed(client.get(GIFTS, {"status": "processing"}), "donations") == {desk["processing"]}
    # A card refused in the payment page is no debit failed: the donor saw it there.
    failed = client.get(GIFTS, {"status": "failed"})
    assert listed(failed, "donations") == {desk["failed_debit"]}
    assert "(provision insuffisante)" in failed.content.decode()
    assert listed(client.get(GIFTS, {"status": "disputed"}), "donations") == {desk["disputed"]}
    this_year = timezone.localdate().year
    assert listed(client.get(GIFTS, {"status": "failed", "year": this_year}), "donations") == {
        desk["failed_debit"]
    }
    assert not listed(client.get(GIFTS, {"status": "failed", "year": this_year - 1}), "donations")
    bad = client.get(GIFTS, {"status": "pending"})  # not a choice: the form says so
    assert bad.context["form"].errors and listed(bad, "donations") == {
        desk["sepa_paid"],
        desk["card_paid"],
    }


def test_the_monthly_gifts_lapsed_and_recovered(client, treasurer, desk):
    everything = client.get(MONTHLY)
    assert desk["left_unpaid"] not in listed(everything, "gifts")
    assert listed(client.get(MONTHLY, {"state": "lapsed"}), "gifts") == {
        desk["lapsed"],
        desk["relapsed"],
    }
    assert listed(client.get(MONTHLY, {"state": "recovered"}), "gifts") == {desk["recovered"]}
    by_sepa = client.get(MONTHLY, {"method": Donation.Method.DIRECT_DEBIT})
    assert listed(by_sepa, "gifts") == {desk["lapsed"]}
    page = everything.content.decode()
    assert "Prélèvement SEPA" in page and "Visa •••• 4242" in page
    assert "en défaut depuis le" in page and "rétabli le" in page


def test_the_donor_s_page_shows_methods_and_payments_not_received(client, treasurer, desk):
    donor = desk["sepa_paid"].donor
    page = client.get(reverse("donations-dashboard:donor", args=[donor.pk])).content.decode()
    assert "Prélèvement SEPA" in page and "KIOSQUE-MANDAT-0007" in page
    assert "Paiements non reçus" in page and "insufficient_funds" in page
    assert "prélèvement en cours" in page


def test_the_register_export_carries_method_and_mandate(client, treasurer, desk):
    response = client.get(reverse("donations-dashboard:receipts-export", args=["csv"]))
    raw = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *rows = csv.reader(io.StringIO(raw), delimiter=";")
    (row,) = rows
    assert row[header.index("Mode de versement")] == "Prélèvement SEPA"
    assert row[header.index("Référence du mandat")] == "KIOSQUE-MANDAT-0007"


@pytest.mark.parametrize("url", [MONTHLY, GIFTS + "?status=failed"])
def test_other_staff_and_readers_do_not_see_them(client, django_user_model, desk, url):
    team = django_user_model.objects.create_user(
        "equipe", "equipe@example.org", "x-long-password", is_staff=True
    )
    client.force_login(team)
    assert client.get(url).status_code == 403
    reader = django_user_model.objects.create_user("lea", "lea@example.org", "x-long-password")
    client.force_login(reader)
    assert client.get(url).status_code == 302  # to the dashboard's sign-in
    client.logout()
    assert client.get(url).status_code == 302


def test_the_desk_s_front_page_points_at_what_to_follow_up(client, treasurer, desk):
    page = client.get(reverse("donations-dashboard:treasury")).content.decode()
    assert "À suivre" in page
    for line in (
        "1 prélèvement en cours",
        "1 paiement refusé",
        "1 paiement contesté auprès de la banque",
        "2 dons mensuels en défaut",
    ):
        assert line in page, line
    assert f"{GIFTS}?status=failed" in page and f"{MONTHLY}?state=lapsed" in page


def test_nothing_to_follow_up_shows_nothing(client, treasurer):
    assert "À suivre" not in client.get(reverse("donations-dashboard:treasury")).content.decode()


def summary(response) -> str:
    """The sentence above the monthly gifts list, its spaces made plain."""
    page = response.content.decode().replace("\xa0", " ").replace("\u202f", " ")
    start = page.index("<p>", page.index("</form>"))
    return page[start : page.index("</p>", start)]


def test_the_monthly_total_counts_only_the_gifts_running(client, treasurer, desk):
    today = timezone.localdate()
    MonthlyGift.objects.create(
        donor=desk["fine"].donor, amount=Decimal("20.00"), status=MonthlyGift.Status.ACTIVE,
        paused_until=today + datetime.timedelta(days=30),
    )  # fmt: skip
    MonthlyGift.objects.create(
        donor=desk["fine"].donor, amount=Decimal("50.50"), status=MonthlyGift.Status.STOPPED,
        started_at=timezone.now(), stopped_at=timezone.now(), error_code="payments_refused",
        paused_until=today + datetime.timedelta(days=30),
    )  # fmt: skip
    # 10 + 12 + 13 + 14 run: 49 € a month, not the 119,50 € of all six.
    everything = summary(client.get(MONTHLY))
    assert "6 dons mensuels" in everything and "4 en cours, 49,00 € par mois" in everything
    assert "1 en pause (20,00 € par mois à la reprise)" in everything
    assert "1 arrêté" in everything and "119,50" not in everything

    stopped = client.get(MONTHLY, {"state": "stopped"})
    assert "1 don mensuel arrêté." in summary(stopped)
    assert "par mois" not in summary(stopped)
    page = html.unescape(stopped.content.decode())
    # Stopped: no pause shown, and the reason in French (the code only in a title).
    assert "en pause jusqu" not in page
    assert "(paiements refusés d'affilée)" in page and ">payments_refused" not in page

    paused = summary(client.get(MONTHLY, {"state": "paused"}))
    assert "0 en cours, 0,00 € par mois" in paused and "1 en pause" in paused


@pytest.mark.parametrize(
    "code, label",
    [
        ("card_declined", "carte refusée"),
        ("invoice_payment_failed", "paiement refusé"),
        ("a_code_stripe_adds_next_year", "paiement refusé"),
    ],
)
def test_a_refusal_reads_in_french_on_the_desk_and_in_the_email(
    client, treasurer, desk, code, label
):
    Donation.objects.filter(pk=desk["failed_debit"].pk).update(error_code=code)
    page = client.get(GIFTS, {"status": "failed"}).content.decode()
    assert f"({label})" in page and f"({code})" not in page

    desk["failed_debit"].refresh_from_db()
    with translation.override("fr"):
        for extension in ("txt", "html"):
            email = render_to_string(
                f"donations/emails/treasury_payment_failed.{extension}",
                {"donation": desk["failed_debit"], "identity": None, "donor_email": "x@y.org"},
            )
            assert f"Motif : {label}." in email and code not in email
