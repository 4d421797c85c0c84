"""Paying a gift: the payment page and its card endpoints (set up, pay, complete), the
shared flow of payments.flow."""

from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.generic import TemplateView

from donations import identity as identities
from donations.models import Donation, MonthlyGift
from donations.services.gifts import (
    charge_donation,
    complete_donation_payment,
    start_one_off_donation,
)
from donations.services.monthly import (
    complete_monthly_gift,
    start_monthly_gift,
    subscribe_monthly_gift,
)
from donations.views.public import GIFT_KEY
from payments import methods
from payments.flow import PaymentFlowMixin
from payments.outcomes import Outcome, Subscribed

SETUP_INTENT_KEY = "kiosque_gift_setup_intent"


class PendingGiftMixin(PaymentFlowMixin):
    """The gift being paid, kept in the session between the page and its endpoints."""

    setup_session_key = SETUP_INTENT_KEY
    methods_offered = (methods.CARD, methods.SEPA_DEBIT)

    def pending_gift(self) -> Donation | MonthlyGift | None:
        kept = self.request.session.get(GIFT_KEY)
        if not kept:
            return None
        model = MonthlyGift if kept["kind"] == "monthly" else Donation
        return model.objects.filter(pk=kept["pk"]).select_related("donor", "identity").first()

    def gift_is_done(self, gift) -> bool:
        if isinstance(gift, MonthlyGift):
            return gift.status == MonthlyGift.Status.ACTIVE
        # A debit sent to the bank is done for the page: the bank answers in days.
        return gift.status in (Donation.Status.PAID, Donation.Status.PROCESSING)

    def payer_email(self) -> str:
        return self.gift.donor.email

    def saves_card(self) -> bool:
        # A monthly gift's card pays every month: set up (and authenticated) once, first.
        return isinstance(getattr(self, "gift", None), MonthlyGift)

    def paid_response(self) -> JsonResponse:
        self.request.session["kiosque_gift_done"] = self.request.session.pop(GIFT_KEY, None)
        return JsonResponse({"redirect": reverse("donations:thanks")})

    def is_paid(self, outcome: Outcome) -> bool:
        if isinstance(outcome, Subscribed):
            return True
        self.gift.refresh_from_db()
        return self.gift_is_done(self.gift)


class DonationPaymentView(PendingGiftMixin, TemplateView):
    template_name = "donations/payment.html"

    def get(self, request, *args, **kwargs):
        gift = self.pending_gift()
        if gift is None:
            return redirect("donations:donate")
        if self.gift_is_done(gift):
            return redirect("donations:thanks")
        if gift.status not in (Donation.Status.PENDING, MonthlyGift.Status.PENDING):
            # A refused card: start again, as Stripe would not take the same attempt twice.
            gift = self._retry(gift)
        return self.render_to_response(self.get_context_data(gift=gift))

    def _retry(self, gift):
        """A new attempt for the same gift: the refused one stays as it was, for the record."""
        if isinstance(gift, MonthlyGift):
            gift = start_monthly_gift(
                donor=gift.donor,
                amount=gift.amount,
                language=gift.language,
                identity=gift.identity,
                placed_by=gift.placed_by,
            )
            self.request.session[GIFT_KEY] = {"kind": "monthly", "pk": gift.pk}
        else:
            gift = start_one_off_donation(
                donor=gift.donor,
                amount=gift.amount,
                language=gift.language,
                identity=gift.identity,
                placed_by=gift.placed_by,
            )
            self.request.session[GIFT_KEY] = {"kind": "once", "pk": gift.pk}
        return gift

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        gift = kwargs["gift"]
        self.gift = gift
        context.update(self.payment_form_context())
        context["named"] = identities.of_gift(gift)  # what was typed, never the stored name
        context["is_monthly"] = isinstance(gift, MonthlyGift)
        context["setup_url"] = reverse("donations:card-setup")
        context["pay_url"] = reverse("donations:card-pay")
        context["complete_url"] = reverse("donations:card-complete")
        return context


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class CardSetupView(PendingGiftMixin, View):
    """Step 1: a SetupIntent for the page's card form."""

    def post(self, request, *args, **kwargs):
        return self.setup_response()

    def before_setup(self):
        self.gift = self.pending_gift()
        if self.gift is None:
            # The page came back from the browser's cache after the gift was paid (back
            # button): say thanks again rather than start a card for nothing.
            done = self.request.session.get("kiosque_gift_done")
            return JsonResponse(
                {"redirect": reverse("donations:thanks" if done else "donations:donate")}
            )
        return None


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class CardPayView(PendingGiftMixin, View):
    """Step 2: charge the one-off gift, or subscribe the card to the monthly gift."""

    def post(self, request, *args, **kwargs):
        return self.pay_response()

    def before_charge(self):
        self.gift = self.pending_gift()
        if self.gift is None:
            return JsonResponse({"redirect": reverse("donations:donate")})
        if self.gift_is_done(self.gift):
            return self.paid_response()
        return None

    def charge(self, setup_id: str, token: str = ""):
        if self.gift.status != "pending":
            return JsonResponse({"redirect": reverse("donations:payment")})
        if isinstance(self.gift, MonthlyGift):
            return subscribe_monthly_gift(self.gift, setup_id)
        return charge_donation(self.gift, setup_id, token=token, method=self.method)


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class CardCompleteView(PendingGiftMixin, View):
    """Step 3, after 3-D Secure in the page (or while the bank is processing)."""

    def post(self, request, *args, **kwargs):
        return self.complete_response()

    def confirm(self):
        self.gift = gift = self.pending_gift()
        if gift is None:
            return JsonResponse({"redirect": reverse("donations:payment")})
        if self.gift_is_done(gift):
            return self.paid_response()
        if isinstance(gift, MonthlyGift):
            if not gift.stripe_subscription_id:
                return JsonResponse({"redirect": reverse("donations:payment")})
            return complete_monthly_gift(gift)
        if not gift.payment_intent_id:
            return JsonResponse({"redirect": reverse("donations:payment")})
        return complete_donation_payment(gift)
