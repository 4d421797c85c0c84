"""A monthly gift's new card or bank account, from a signed link (no account needed): after a
refused payment, or to switch between card and SEPA direct debit without stopping the gift.

The page and its three endpoints (set up, pay, complete: payments.flow) all sit under the
gift's signed token: a forged or expired one is refused (403) before Stripe is asked anything,
and the set-up waits in the session under the gift's own key, so that another gift's page,
another session or a replayed request cannot use it."""

from django.contrib import messages
from django.db import transaction
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from donations.services.monthly_method import (
    NOT_RUNNING,
    can_change_method,
    change_monthly_method,
    complete_monthly_method,
)
from donations.views.monthly_manage import SignedMonthlyGiftMixin
from payments import methods, subscriptions
from payments.flow import PaymentFlowMixin
from payments.outcomes import NeedsAuthentication, Outcome, Subscribed

SETUP_KEY = "kiosque_monthly_method_setup"
AWAITING_KEY = "kiosque_monthly_method_awaiting"


class MethodChangeMixin(SignedMonthlyGiftMixin, PaymentFlowMixin):
    methods_offered = (methods.CARD, methods.SEPA_DEBIT)
    # The signed-link mixin answers a bad token with a page, on these plain views too.
    response_class = TemplateResponse
    outcome: Outcome | None = None

    @property
    def setup_session_key(self) -> str:
        return f"{SETUP_KEY}:{self.gift.pk}"

    def payer_email(self) -> str:
        return self.gift.donor.email

    def sets_up(self) -> bool:
        # Kept for every later month: always set up in the page (SetupIntent), never a token.
        return True

    def gift_url(self) -> str:
        return reverse("donations:monthly-gift", kwargs={"token": self.kwargs["token"]})

    def not_running_response(self) -> JsonResponse:
        return JsonResponse({"error": str(NOT_RUNNING), "code": "gift_not_running"}, status=409)

    def unavailable_response(self, failure, *, step: str) -> JsonResponse:
        message = _(
            "Stripe, our payment provider, could not be reached: your card or bank account "
            "was not changed and nothing was charged. Please try again in a moment."
        )
        return JsonResponse({"error": message, "code": failure.code}, status=503)

    def is_paid(self, outcome: Outcome) -> bool:
        # The gift runs with the new method (its refused month paid, sent to the bank, or
        # left to Stripe's retries).
        return isinstance(outcome, Subscribed)

    def paid_response(self) -> JsonResponse:
        self.request.session.pop(self._awaiting_key(), None)
        self.gift.refresh_from_db()
        messages.success(self.request, self._changed_message())
        return JsonResponse({"redirect": self.gift_url()})

    def _changed_message(self) -> str:
        if self.gift.mandate_id:
            text = _(
                "Your new bank details will be used for the next direct debit of your monthly "
                "gift (mandate %(reference)s)."
            ) % {"reference": self.gift.mandate.reference}
        else:
            text = _("Your new card will be used for the next payment of your monthly gift.")
        outcome = self.outcome
        if isinstance(outcome, Subscribed) and outcome.first_invoice is not None:
            text += " " + _("The refused month has been paid: thank you!")
        elif isinstance(outcome, Subscribed) and outcome.pending_invoice_id:
            text += " " + _("The debit of the refused month has been sent to your bank.")
        return text

    def _awaiting_key(self) -> str:
        return f"{AWAITING_KEY}:{self.gift.pk}"

    def awaiting(self, outcome: Outcome) -> None:
        if isinstance(outcome, NeedsAuthentication):
            self.request.session[self._awaiting_key()] = True


class PaymentMethodView(MethodChangeMixin, TemplateView):
    template_name = "donations/monthly_payment_method.html"

    def get(self, request, *args, **kwargs):
        # The signed-link mixin puts the token in the context itself (not the URL's kwargs
        # again, which TemplateView.get would pass).
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        token = self.kwargs["token"]
        context["can_change"] = can_change_method(self.gift)
        context["gift_url"] = self.gift_url()
        if context["can_change"]:
            context.update(self.payment_form_context())
            context["setup_url"] = reverse("donations:monthly-method-setup", args=[token])
            context["pay_url"] = reverse("donations:monthly-method-pay", args=[token])
            context["complete_url"] = reverse("donations:monthly-method-complete", args=[token])
        return context


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class MethodSetupView(MethodChangeMixin, View):
    """Step 1: a SetupIntent on the subscription's own customer, through the same limits as
    the donation page (payments.flow.setup_response: rate limit, card attempts)."""

    def post(self, request, *args, **kwargs):
        return self.setup_response()

    def before_setup(self):
        return None if can_change_method(self.gift) else self.not_running_response()

    def setup_customer(self) -> str:
        return subscriptions.customer_of(subscription_id=self.gift.stripe_subscription_id)


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class MethodPayView(MethodChangeMixin, View):
    """Step 2: the method set up becomes the subscription's."""

    def post(self, request, *args, **kwargs):
        return self.pay_response()

    def before_charge(self):
        return None if can_change_method(self.gift) else self.not_running_response()

    def charge(self, setup_id: str, token: str = ""):
        self.outcome = change_monthly_method(gift=self.gift, setup_id=setup_id)
        return self.outcome


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class MethodCompleteView(MethodChangeMixin, View):
    """Step 3, after 3-D Secure in the page for a refused month paid with the new card."""

    def post(self, request, *args, **kwargs):
        return self.complete_response()

    def confirm(self):
        if not self.request.session.get(self._awaiting_key()):  # dropped once it is settled
            return JsonResponse({"redirect": self.gift_url()})
        self.outcome = complete_monthly_method(gift=self.gift)
        return self.outcome
