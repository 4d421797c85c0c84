"""A gift added to an order: one card payment for the order and the gift, one order for the
goods, one donation and one receipt for the gift alone; refunds of the order keep the gift.
Through HTTP with the real SDK against the stand-in."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from donations.models import Donation, OrderGift, Receipt
from kiosque.models import OutboxEmail
from payments import gateway
from shop.models import CardPayment
from tests.shop.test_order_refunds import charge_of, post_charge_refunded
from tests.support.checkout import PDF_ISSUE, PRINT_ISSUE, fill_basket, go_to_payment, pay
from tests.support.donations import post_event, spaced

Order = get_model("order", "Order")

pytestmark = pytest.mark.usefixtures("demo", "outbox_emails")

GIVER = {
    "first_name": "Louise",
    "last_name": "Lectrice",
    "line1": "3 rue de la Paix",
    "line2": "",
    "postcode": "69001",
    "city": "Lyon",
    "country": "France",
}


def the_gift() -> Donation:
    """The donation paid with the order (the demo has other donors' gifts)."""
    return Donation.objects.get(order_gift__isnull=False)


def receipts_of_louise():
    return Receipt.objects.filter(donor__email="louise@example.org")


def add_gift(client, amount="10", other="", place="basket", **changes):
    data = {**GIVER, "amount": amount, "other_amount": other, "place": place, **changes}
    return client.post(reverse("donations:order-gift"), data)


@pytest.fixture
def paid_with_gift(client, stripe_standin):
    """18,00 € of issues (print with postage, PDF) and a 10 € gift, paid by card."""
    fill_basket(client, PRINT_ISSUE, PDF_ISSUE)
    assert add_gift(client).status_code == 302
    page = go_to_payment(client).content.decode()
    assert "Payer 28,00" in page  # the card pays both
    assert pay(client, stripe_standin).status_code == 200
    return Order.objects.get()


@pytest.fixture
def staff(demo):
    client = Client()
    client.force_login(get_user_model().objects.get(email="equipe@kiosque.example"))
    return client


def test_the_basket_offers_a_gift_with_its_real_cost(client):
    fill_basket(client, PDF_ISSUE)
    html = client.get(reverse("basket:summary")).content.decode()
    assert "Ajouter un don à ma commande" in html
    for preset in ("5 €", "10 €", "20 €", "Autre montant"):
        assert preset in html
    assert "Un don de 10 € ne vous coûte que 3,40 € après réduction d'impôt." in html

    assert add_gift(client, amount="20").status_code == 302
    html = client.get(reverse("basket:summary")).content.decode()
    assert "Votre don : <strong>20 €</strong>" in html
    assert "ne vous coûte que 6,80 €" in html
    assert OrderGift.objects.get().amount == Decimal("20.00")


def test_an_empty_basket_offers_no_gift(client):
    assert "Ajouter un don" not in client.get(reverse("basket:summary")).content.decode()
    response = add_gift(client)
    assert response.status_code == 302
    assert not OrderGift.objects.exists()


def test_one_payment_one_order_one_donation_one_receipt_for_the_gift(
    client, stripe_standin, paid_with_gift
):
    order = paid_with_gift
    # The order is the goods and postage only: its accounts never see the gift.
    assert order.total_incl_tax == Decimal("18.00")
    assert order.lines.count() == 2
    source = order.sources.get()
    assert source.amount_debited == Decimal("18.00")
    # One PaymentIntent, for exactly the order and the gift.
    intent = gateway.client().v1.payment_intents.retrieve(source.reference)
    assert (intent.status, intent.amount) == ("succeeded", 2800)
    assert gateway.client().v1.payment_intents.list().data == [intent]
    payment = CardPayment.objects.get()
    assert (payment.amount, payment.extras) == (Decimal("28.00"), {"donation": "10.00"})
    # One donation, paid by that PaymentIntent, and its receipt for 10 € only.
    donation = the_gift()
    assert donation.status == Donation.Status.PAID
    assert (donation.amount, donation.payment_intent_id) == (Decimal("10.00"), intent.id)
    assert donation.donor.email == "louise@example.org"
    assert (donation.identity.last_name, donation.identity.city) == ("Lectrice", "Lyon")
    receipt = receipts_of_louise().get()
    assert receipt.amount == Decimal("10.00") and donation.receipt == receipt
    assert OrderGift.objects.get().order == order

    # The confirmation page and the emails show both, apart.
    page = spaced(client.get(reverse("checkout:thank-you")).content.decode())
    assert "Merci pour votre don de <strong>10,00 €</strong>" in page
    assert receipt.number in page
    # ...and what the card was charged in all, as the reader's statement will say.
    charged = "votre carte a été débitée de 28,00 € en tout"
    assert charged in page
    order_email = OutboxEmail.objects.get(subject__contains=order.number)
    assert "18,00" in order_email.body and "10,00" in order_email.body
    assert receipt.number in order_email.body
    assert charged in spaced(order_email.body)
    thanks = OutboxEmail.objects.get(subject__startswith="Merci")
    assert receipt.number in thanks.subject and "10,00" in thanks.body
    assert "18,00" not in thanks.body

    # Stripe's webhook, twice: still one order, one donation, one receipt.
    payload, signature = stripe_standin.inbox.wait_for("payment_intent.succeeded", intent.id)
    assert post_event(payload, signature).status_code == 200
    assert post_event(payload, signature).status_code == 200
    assert Order.objects.count() == 1
    assert Donation.objects.filter(payment_intent_id=intent.id).count() == 1
    assert receipts_of_louise().count() == 1
    assert OutboxEmail.objects.filter(subject__startswith="Merci").count() == 1


def test_the_webhook_again_and_again_records_the_gift_once(client, stripe_standin):
    fill_basket(client, PDF_ISSUE)
    add_gift(client, amount="other", other="12,50")
    go_to_payment(client)
    assert pay(client, stripe_standin).status_code == 200
    intent_id = CardPayment.objects.get().payment_intent_id
    payload, signature = stripe_standin.inbox.wait_for("payment_intent.succeeded", intent_id)
    for __ in range(3):
        assert post_event(payload, signature).status_code == 200
    assert the_gift().amount == Decimal("12.50")
    assert gateway.client().v1.payment_intents.retrieve(intent_id).amount == 600 + 1250


def test_refunding_the_order_leaves_the_gift_and_its_receipt(paid_with_gift, staff):
    order = paid_with_gift
    url = reverse("kiosque-order-refund", kwargs={"number": order.number})
    # The order's refund form can never reach the gift's money.
    too_much = staff.post(url, {"amount": "28.00"}, follow=True)
    assert "au plus de 18.00 €" in too_much.content.decode()

    staff.post(url, {"amount": "18.00"})

    assert charge_of(order).amount_refunded == 1800
    assert post_charge_refunded(charge_of(order), "evt_order_refund").status_code == 200
    assert order.sources.get().amount_refunded == Decimal("18.00")
    donation = the_gift()
    assert donation.status == Donation.Status.PAID
    assert donation.amount_refunded == Decimal("0.00")
    receipt = receipts_of_louise().get()
    assert receipt.status == Receipt.Status.ISSUED and donation.receipt == receipt


def test_a_refund_made_in_stripe_counts_against_the_order_first(paid_with_gift):
    order = paid_with_gift
    stripe = gateway.client()
    reference = order.sources.get().reference
    stripe.v1.refunds.create(params={"payment_intent": reference, "amount": 1000})
    assert post_charge_refunded(charge_of(order), "evt_part").status_code == 200
    assert order.sources.get().amount_refunded == Decimal("10.00")
    assert the_gift().amount_refunded == Decimal("0.00")

    # The whole payment given back: the order's 18 € and the gift's 10 €.
    stripe.v1.refunds.create(params={"payment_intent": reference, "amount": 1800})
    assert post_charge_refunded(charge_of(order), "evt_all").status_code == 200
    assert order.sources.get().amount_refunded == Decimal("18.00")  # never more than it had
    donation = the_gift()
    assert donation.status == Donation.Status.REFUNDED
    assert donation.amount_refunded == Decimal("10.00")
    assert donation.receipt is None or donation.receipt.status != Receipt.Status.ISSUED
    assert receipts_of_louise().get().status == Receipt.Status.CANCELLED


def test_the_payment_page_offers_the_gift_with_the_shipping_address(client, stripe_standin):
    fill_basket(client, PRINT_ISSUE)  # 9,50 € + 2,50 € postage
    page = go_to_payment(client).content.decode()
    assert "Ajouter un don à ma commande" in page and "Payer 12,00" in page
    # The receipt's name and address, taken from the shipping address given at checkout.
    for value in ("Louise", "Lectrice", "3 rue de la Paix", "69001", "Lyon", "France"):
        assert f'value="{value}"' in page

    response = add_gift(client, amount="5", place="payment")

    assert response["Location"] == reverse("checkout:payment-details")
    page = client.get(reverse("checkout:payment-details")).content.decode()
    assert "Payer 17,00" in page and "Votre don : <strong>5 €</strong>" in page
