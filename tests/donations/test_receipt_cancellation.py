"""Cancelling a receipt says whether its gifts stay eligible (issue 16, item 15): eligible, a
corrected receipt replaces it; not eligible, no receipt is ever issued for them again."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from donations.models import Association, Donation, Receipt
from donations.services.annual import issue_annual_receipts
from donations.services.receipts import cancel_receipt, issue_receipt
from kiosque.access import TREASURER_GROUP
from tests.support.donations import aware, make_donor, monthly_gift, paid_donation

pytestmark = pytest.mark.usefixtures("association", "outbox_emails")


@pytest.fixture
def treasurer(client, django_user_model):
    user = django_user_model.objects.create_user(
        "claire", "claire@example.org", "x-long-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name=TREASURER_GROUP))
    client.force_login(user)
    return user


def monthly_year(donor, year=2025):
    gift = monthly_gift(donor)
    return [
        paid_donation(donor, "10", paid_at=aware(year, month, 5), monthly_gift=gift)
        for month in range(1, 13)
    ]


def test_a_gift_cancelled_as_not_eligible_is_never_receipted_again(treasurer):
    Association.objects.update(monthly_receipts=Association.MonthlyReceipts.PER_PAYMENT)
    donor = make_donor()
    payments = monthly_year(donor)
    wrong = payments[2]
    receipt = issue_receipt([wrong])  # March, receipted when paid

    cancelled = cancel_receipt(
        receipt, reason="Contrepartie reçue : pas un don", by=treasurer, eligible=False
    )

    assert cancelled.is_cancelled and not hasattr(cancelled, "replaced_by")
    wrong.refresh_from_db()
    assert (wrong.status, wrong.receipt, wrong.receipt_eligible) == ("paid", None, False)
    run = issue_annual_receipts(2025)  # January's run
    assert (run.count, run.total) == (1, Decimal("110.00"))
    summary = Receipt.objects.get(kind=Receipt.Kind.ANNUAL)
    assert "2025-03-05" not in [payment["date"] for payment in summary.payments]
    with pytest.raises(ValueError, match="not eligible"):
        issue_receipt([wrong])
    assert issue_annual_receipts(2025).count == 0


def test_a_gift_that_stays_eligible_gets_a_new_receipt_at_once(treasurer):
    donation = paid_donation(make_donor(), "80")
    receipt = issue_receipt([donation])

    cancelled = cancel_receipt(
        receipt, reason="Reçu imprimé avec une tache", by=treasurer, eligible=True
    )

    donation.refresh_from_db()
    assert cancelled.is_cancelled and donation.receipt == cancelled.replaced_by
    assert donation.receipt_eligible
    assert (donation.receipt.amount, donation.receipt.replaces) == (Decimal("80.00"), cancelled)


def test_the_annual_run_never_receipts_a_gift_twice_after_an_eligible_cancellation():
    donor = make_donor()
    payments = monthly_year(donor)
    issue_annual_receipts(2025)
    summary = Receipt.objects.get()

    corrected = cancel_receipt(summary, reason="Erreur de date", eligible=True)

    assert corrected.replaced_by.kind == Receipt.Kind.ANNUAL
    assert issue_annual_receipts(2025).count == 0
    assert {
        payment.receipt_id for payment in Donation.objects.filter(pk__in=[p.pk for p in payments])
    } == {corrected.replaced_by.pk}


def test_the_desk_asks_whether_the_gift_stays_eligible(client, treasurer):
    donor = make_donor()
    one, two = paid_donation(donor, "30"), paid_donation(donor, "40")
    first, second = issue_receipt([one]), issue_receipt([two])
    url = reverse("donations-dashboard:receipt", args=[first.number])

    page = client.get(url).content.decode()
    assert 'name="cancel-eligible"' in page
    # Not saying is not an answer: nothing is cancelled.
    response = client.post(url, {"cancel": "1", "cancel-reason": "Erreur"})
    assert response.status_code == 200 and response.context["cancel_form"].errors["eligible"]
    first.refresh_from_db()
    assert not first.is_cancelled

    response = client.post(
        url, {"cancel": "1", "cancel-reason": "Don fait par erreur", "cancel-eligible": "no"}
    )
    assert response.status_code == 302
    one.refresh_from_db()
    assert (one.receipt, one.receipt_eligible) == (None, False)
    assert "ne donne droit à aucun reçu" in client.get(url).content.decode()

    response = client.post(
        reverse("donations-dashboard:receipt", args=[second.number]),
        {"cancel": "1", "cancel-reason": "Montant mal saisi", "cancel-eligible": "yes"},
    )
    two.refresh_from_db()
    assert two.receipt.replaces == second
    assert response.url == reverse("donations-dashboard:receipt", args=[two.receipt.number])
