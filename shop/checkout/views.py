"""Oscar's checkout, with payment by card through Stripe on the payment details page.

The page talks to the three JSON endpoints of payments.flow (see shop.checkout.services):
``card-setup`` → Stripe.js ``createToken`` → ``card-pay`` (the PaymentIntent confirmed at
once) → (3-D Secure, once: ``confirmCardPayment``) → ``card-complete``. They commit as they go
(no request-wide transaction): the CardPayment must be visible to the webhook before Stripe
charges.
"""

from django.contrib import messages
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from oscar.apps.checkout import views as oscar_views
from oscar.core.loading import get_class

from payments.flow import PaymentFlowMixin
from payments.outcomes import Outcome, Refused
from shop.checkout import addons, services
from shop.models import CardPayment

PassedSkipCondition = get_class("checkout.exceptions", "PassedSkipCondition")
CheckoutSessionData = get_class("checkout.utils", "CheckoutSessionData")
CheckoutSessionMixin = get_class("checkout.session", "CheckoutSessionMixin")
OrderPlacementMixin = get_class("checkout.mixins", "OrderPlacementMixin")

SETUP_INTENT_KEY = "kiosque_setup_intent"
CARD_PAYMENT_KEY = "kiosque_card_payment"


class CardPaymentMixin(PaymentFlowMixin, OrderPlacementMixin):
    """What the payment page and its endpoints share: the attempt kept in the session."""

    setup_session_key = SETUP_INTENT_KEY

    def payer_email(self) -> str:
        if self.request.user.is_authenticated:
            return self.request.user.email
        return self.checkout_session.get_guest_email() or ""

    def pending_card_payment(self) -> CardPayment | None:
        pk = self.request.session.get(CARD_PAYMENT_KEY)
        return CardPayment.objects.filter(pk=pk).select_related("order").first() if pk else None

    def end_checkout(self, order) -> None:
        """The order is placed (by us or by the webhook): Oscar's thank-you page shows it."""
        self.request.session.pop(CARD_PAYMENT_KEY, None)
        self.request.session.pop(SETUP_INTENT_KEY, None)
        self.checkout_session.flush()
        self.request.session["checkout_order_id"] = order.pk

    def paid_response(self) -> JsonResponse:
        self.end_checkout(self.payment.order)
        return JsonResponse({"redirect": reverse("checkout:thank-you")})

    def refused_response(self, refused: Refused) -> JsonResponse:
        """Nothing was charged: the reader gets their basket back and a message."""
        self.request.session.pop(CARD_PAYMENT_KEY, None)
        self.restore_frozen_basket()
        return super().refused_response(refused)

    def unavailable_response(self, failure, *, step):
        if step == "pay":  # nothing charged: the basket is given back, as when refused
            self.request.session.pop(CARD_PAYMENT_KEY, None)
            self.restore_frozen_basket()
        # After 3-D Secure the bank may have said yes: the payment stays pending, and its
        # basket frozen, until Stripe answers this retry (or the webhook places the order).
        return super().unavailable_response(failure, step=step)

    def is_paid(self, outcome: Outcome) -> bool:
        self.payment.refresh_from_db()
        return bool(self.payment.order_id)

    def awaiting(self, outcome: Outcome) -> None:
        self.request.session[CARD_PAYMENT_KEY] = self.payment.pk

    def recover_pending_payment(self, request):
        """The reader came back while a payment awaited 3-D Secure (closed dialog, back
        button): it is cancelled and the basket given back, or, if it went through in the
        meantime, its order shown. Runs before Oscar's checks, which want an open basket."""
        payment = self.pending_card_payment()
        if payment is None:
            return None
        self.checkout_session = CheckoutSessionData(request)
        order = services.abandon_card_payment(payment)
        if order is not None:
            self.end_checkout(order)
            return redirect("checkout:thank-you")
        request.session.pop(CARD_PAYMENT_KEY, None)
        self.restore_frozen_basket()
        return None


class IndexView(CardPaymentMixin, oscar_views.IndexView):
    def get_success_url(self):
        # The next checkout step (OrderPlacementMixin's would be the thank-you page).
        return str(self.success_url)

    def dispatch(self, request, *args, **kwargs):
        return self.recover_pending_payment(request) or super().dispatch(request, *args, **kwargs)


class NothingToPayMixin:
    """Oscar skips the payment of a basket with nothing to pay (an empty or a free one) to its
    preview page, which here leads back to the payment page (an order is only placed on
    Stripe's word): such a basket goes back to the basket page, told why, and never loops."""

    def skip_unless_payment_is_required(self, request):
        if request.basket.is_empty:
            return  # the pre-conditions send it to the basket page, with Oscar's message
        try:
            super().skip_unless_payment_is_required(request)
        except PassedSkipCondition:
            messages.info(
                request, _("There is nothing to pay in your basket: add an item to order it.")
            )
            raise PassedSkipCondition(url=reverse("basket:summary")) from None


class PaymentMethodView(NothingToPayMixin, oscar_views.PaymentMethodView):
    pass


class PaymentDetailsView(NothingToPayMixin, CardPaymentMixin, oscar_views.PaymentDetailsView):
    """The payment page: the order's summary and the card form."""

    template_name = "oscar/checkout/payment_details.html"

    def dispatch(self, request, *args, **kwargs):
        if self.preview or request.method == "POST":
            # Oscar's preview page and its "place order" form would place an order without
            # any payment: here an order is only ever placed once Stripe says it is paid.
            return redirect("checkout:payment-details")
        return self.recover_pending_payment(request) or super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.payment_form_context())
        # The card pays the order and the add-ons (a gift): shop.checkout.addons.
        if context.get("order_total") is not None:
            extras = addons.total_for(self.request.basket)
            context["amount_to_pay"] = context["order_total"].incl_tax + extras
        return context


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class CardSetupView(CardPaymentMixin, CheckoutSessionMixin, View):
    """Step 1: a SetupIntent for the page's card form."""

    pre_conditions = PaymentDetailsView.pre_conditions

    def post(self, request, *args, **kwargs):
        return self.setup_response()


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class CardPayView(CardPaymentMixin, CheckoutSessionMixin, View):
    """Step 2: charge the card the page set up, for the basket's total."""

    pre_conditions = PaymentDetailsView.pre_conditions

    def post(self, request, *args, **kwargs):
        return self.pay_response()

    def charge(self, setup_id: str, token: str = ""):
        submission = self.build_submission()
        basket = submission["basket"]
        if submission["order_total"] is None:
            return JsonResponse({"redirect": reverse("checkout:shipping-method")})
        with transaction.atomic():
            self.payment = services.record_card_payment(
                submission=submission,
                order_number=self.generate_order_number(basket),
                setup_intent_id=setup_id,
            )
            # As in Oscar's own checkout: the basket cannot change while it is being paid.
            self.checkout_session.set_submitted_basket(basket)
            self.freeze_basket(basket)
        return services.charge_card(self.payment, token=token)


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class CardCompleteView(CardPaymentMixin, CheckoutSessionMixin, View):
    """Step 3, after 3-D Secure in the page (or while the bank is processing)."""

    def post(self, request, *args, **kwargs):
        return self.complete_response()

    def confirm(self):
        self.payment = self.pending_card_payment()
        if self.payment is None:
            return JsonResponse({"redirect": reverse("checkout:payment-details")})
        if self.payment.order_id:
            return self.paid_response()
        return services.complete_card_payment(self.payment)
