"""Oscar's checkout, with payment by card through Stripe on the payment details page.

The page talks to three JSON endpoints (see shop.checkout.services for the flow):
``card-setup`` → Stripe.js ``confirmCardSetup`` → ``card-pay`` → (3-D Secure:
``confirmCardPayment``) → ``card-complete``. They commit as they go (no request-wide
transaction): the CardPayment must be visible to the webhook before Stripe charges.
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

from payments import gateway
from payments.views import card_setup_response
from shop.checkout import services
from shop.models import CardPayment

PassedSkipCondition = get_class("checkout.exceptions", "PassedSkipCondition")
CheckoutSessionData = get_class("checkout.utils", "CheckoutSessionData")
CheckoutSessionMixin = get_class("checkout.session", "CheckoutSessionMixin")
OrderPlacementMixin = get_class("checkout.mixins", "OrderPlacementMixin")

SETUP_INTENT_KEY = "kiosque_setup_intent"
CARD_PAYMENT_KEY = "kiosque_card_payment"


class CardPaymentMixin(OrderPlacementMixin):
    """What the payment page and its endpoints share: the attempt kept in the session."""

    def pending_card_payment(self) -> CardPayment | None:
        pk = self.request.session.get(CARD_PAYMENT_KEY)
        return CardPayment.objects.filter(pk=pk).select_related("order").first() if pk else None

    def end_checkout(self, order) -> None:
        """The order is placed (by us or by the webhook): Oscar's thank-you page shows it."""
        self.request.session.pop(CARD_PAYMENT_KEY, None)
        self.request.session.pop(SETUP_INTENT_KEY, None)
        self.checkout_session.flush()
        self.request.session["checkout_order_id"] = order.pk

    def paid(self, payment: CardPayment) -> JsonResponse:
        self.end_checkout(payment.order)
        return JsonResponse({"redirect": reverse("checkout:thank-you")})

    def refused(self, failure: gateway.CardPaymentFailed) -> JsonResponse:
        """Nothing was charged: the reader gets their basket back and a message. (Stripe's
        refusal is counted against card testing when Stripe reports it: payments.card_attempts.)"""
        unavailable = isinstance(failure, gateway.StripeUnavailable)
        self.request.session.pop(CARD_PAYMENT_KEY, None)
        self.restore_frozen_basket()
        status = 503 if unavailable else 402
        return JsonResponse({"error": failure.message, "code": failure.code}, status=status)

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

    def outcome(self, payment: CardPayment, intent) -> JsonResponse:
        payment.refresh_from_db()
        if payment.order_id:
            return self.paid(payment)
        self.request.session[CARD_PAYMENT_KEY] = payment.pk
        if intent.status == "requires_action":
            return JsonResponse({"requires_action": True, "client_secret": intent.client_secret})
        return JsonResponse({"processing": True})


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
        context.update(
            gateway.card_form_context(
                self.request.user.email
                if self.request.user.is_authenticated
                else self.checkout_session.get_guest_email()
            )
        )
        return context


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class CardSetupView(CardPaymentMixin, CheckoutSessionMixin, View):
    """Step 1: a SetupIntent for the page's card form."""

    pre_conditions = PaymentDetailsView.pre_conditions

    def post(self, request, *args, **kwargs):
        email = (
            request.user.email
            if request.user.is_authenticated
            else self.checkout_session.get_guest_email()
        )
        return card_setup_response(request, email=email or "", session_key=SETUP_INTENT_KEY)


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class CardPayView(CardPaymentMixin, CheckoutSessionMixin, View):
    """Step 2: charge the card the page set up, for the basket's total."""

    pre_conditions = PaymentDetailsView.pre_conditions

    def post(self, request, *args, **kwargs):
        setup_intent_id = request.session.get(SETUP_INTENT_KEY)
        if not setup_intent_id or request.POST.get("setup_intent") != setup_intent_id:
            message = _("Your card could not be read. Please try again.")
            return JsonResponse({"error": message}, status=400)
        submission = self.build_submission()
        basket = submission["basket"]
        if submission["order_total"] is None:
            return JsonResponse({"redirect": reverse("checkout:shipping-method")})
        with transaction.atomic():
            payment = services.record_card_payment(
                submission=submission,
                order_number=self.generate_order_number(basket),
                setup_intent_id=setup_intent_id,
            )
            # As in Oscar's own checkout: the basket cannot change while it is being paid.
            self.checkout_session.set_submitted_basket(basket)
            self.freeze_basket(basket)
        request.session.pop(SETUP_INTENT_KEY, None)
        try:
            intent = services.charge_card(payment)
        except gateway.CardPaymentFailed as failure:
            return self.refused(failure)
        return self.outcome(payment, intent)


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class CardCompleteView(CardPaymentMixin, CheckoutSessionMixin, View):
    """Step 3, after 3-D Secure in the page (or while the bank is processing)."""

    def post(self, request, *args, **kwargs):
        payment = self.pending_card_payment()
        if payment is None:
            return JsonResponse({"redirect": reverse("checkout:payment-details")})
        if payment.order_id:
            return self.paid(payment)
        try:
            intent = services.complete_card_payment(payment)
        except gateway.StripeUnavailable as failure:
            # The bank may have said yes: the payment stays pending, and its basket frozen,
            # until Stripe answers this retry (or the webhook places the order).
            return JsonResponse({"error": failure.message, "code": failure.code}, status=503)
        except gateway.CardPaymentFailed as failure:
            return self.refused(failure)
        return self.outcome(payment, intent)
