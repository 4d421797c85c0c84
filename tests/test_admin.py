"""The admin lists the outbox, the card payment attempts and the Stripe events."""

import pytest


@pytest.mark.parametrize("model", ["outboxemail", "cardpayment", "stripeevent"])
def test_admin_lists(admin_client, model):
    response = admin_client.get(f"/admin/kiosque_shop/{model}/")
    assert response.status_code == 200
