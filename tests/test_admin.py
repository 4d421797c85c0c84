"""The admin lists the outbox, card payments, Stripe events, and the donations' records."""

import pytest

from donations import services
from tests.donations import make_donor, paid_donation


@pytest.mark.parametrize(
    "path",
    [
        "kiosque_shop/outboxemail",
        "kiosque_shop/cardpayment",
        "kiosque_shop/stripeevent",
        "donations/donor",
        "donations/donation",
        "donations/monthlygift",
        "donations/receipt",
        "magazine/issue",
        "magazine/subscription",
        "magazine/entitlement",
        "magazine/newslettersubscriber",
    ],
)
def test_admin_lists(admin_client, association, path):
    services.issue_receipt([paid_donation(make_donor())])
    response = admin_client.get(f"/admin/{path}/")
    assert response.status_code == 200


def test_receipts_cannot_be_changed_or_deleted_in_the_admin(admin_client, association):
    receipt = services.issue_receipt([paid_donation(make_donor())])
    assert admin_client.get(f"/admin/donations/receipt/{receipt.pk}/delete/").status_code == 403
    page = admin_client.get(f"/admin/donations/receipt/{receipt.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
