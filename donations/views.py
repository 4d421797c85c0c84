import logging
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from accounts.selectors import verified_email
from donations import identity as identities
from donations import links, selectors, services
from donations.amounts import cost_after_tax_reduction, euros
from donations.forms import PRESET_AMOUNTS, DonationForm
from donations.models import Donation, MonthlyGift, Receipt
from kiosque import ratelimit
from payments import gateway
from payments.flow import PaymentFlowMixin
from payments.outcomes import Outcome, Subscribed

logger = logging.getLogger(__name__)

GIFT_KEY = "kiosque_gift"
SETUP_INTENT_KEY = "kiosque_gift_setup_intent"


class DonateView(FormView):
    """The donation page: amount, frequency, the donor's details; then the card."""

    form_class = DonationForm
    template_name = "donations/donate.html"

    def get_initial(self):
        user = self.request.user
        if not user.is_authenticated:
            return {}
        return {"email": user.email, "first_name": user.first_name, "last_name": user.last_name}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tax_examples"] = {
            str(amount): euros(cost_after_tax_reduction(Decimal(amount)))
            for amount in PRESET_AMOUNTS
        }
        context["tax_reduction"] = {
            "rate": str(settings.KIOSQUE_TAX_REDUCTION_RATE),
            "template": _("A gift of %(amount)s € only costs you %(cost)s € after tax reduction."),
        }
        return context

    def post(self, request, *args, **kwargs):
        if not ratelimit.allow(request, request.POST.get("email", ""), what="donation-form"):
            return ratelimit.too_many_attempts_page(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        language = translation.get_language() or "fr"
        # The name and address go with this gift: the donor's only once it is paid.
        details = form.donor_details()
        donor = services.record_donor(details=details, user=self.request.user, language=language)
        identity = identities.record_gift_identity(donor=donor, details=details)
        user = self.request.user
        placed_by = user if user.is_authenticated else None  # the account sees what it gave
        given = {"donor": donor, "identity": identity, "language": language, "placed_by": placed_by}
        amount = form.cleaned_data["gift_amount"]
        if form.cleaned_data["frequency"] == "monthly":
            gift = services.start_monthly_gift(amount=amount, **given)
            self.request.session[GIFT_KEY] = {"kind": "monthly", "pk": gift.pk}
        else:
            donation = services.start_one_off_donation(amount=amount, **given)
            self.request.session[GIFT_KEY] = {"kind": "once", "pk": donation.pk}
        return redirect("donations:payment")


class PendingGiftMixin(PaymentFlowMixin):
    """The gift being paid, kept in the session between the page and its endpoints."""

    setup_session_key = SETUP_INTENT_KEY

    def pending_gift(self) -> Donation | MonthlyGift | None:
        kept = self.request.session.get(GIFT_KEY)
        if not kept:
            return None
        model = MonthlyGift if kept["kind"] == "monthly" else Donation
        return model.objects.filter(pk=kept["pk"]).select_related("donor", "identity").first()

    def gift_is_done(self, gift) -> bool:
        if isinstance(gift, MonthlyGift):
            return gift.status == MonthlyGift.Status.ACTIVE
        return gift.status == Donation.Status.PAID

    def payer_email(self) -> str:
        return self.gift.donor.email

    def paid_response(self) -> JsonResponse:
        self.request.session["kiosque_gift_done"] = self.request.session.pop(GIFT_KEY, None)
        return JsonResponse({"redirect": reverse("donations:thanks")})

    def is_paid(self, outcome: Outcome) -> bool:
        if isinstance(outcome, Subscribed):
            return True
        self.gift.refresh_from_db()
        return self.gift.status == Donation.Status.PAID


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
            gift = services.start_monthly_gift(
                donor=gift.donor,
                amount=gift.amount,
                language=gift.language,
                identity=gift.identity,
                placed_by=gift.placed_by,
            )
            self.request.session[GIFT_KEY] = {"kind": "monthly", "pk": gift.pk}
        else:
            gift = services.start_one_off_donation(
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

    def charge(self, setup_id: str):
        if self.gift.status != "pending":
            return JsonResponse({"redirect": reverse("donations:payment")})
        if isinstance(self.gift, MonthlyGift):
            return services.subscribe_monthly_gift(self.gift, setup_id)
        return services.charge_donation(self.gift, setup_id)


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
            return services.complete_monthly_gift(gift)
        if not gift.payment_intent_id:
            return JsonResponse({"redirect": reverse("donations:payment")})
        return services.complete_donation_payment(gift)


class ThanksView(TemplateView):
    template_name = "donations/thanks.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        done = self.request.session.get("kiosque_gift_done") or {}
        model = MonthlyGift if done.get("kind") == "monthly" else Donation
        context["gift"] = model.objects.filter(pk=done.get("pk")).select_related("donor").first()
        context["is_monthly"] = model is MonthlyGift
        return context


def receipt_response(receipt: Receipt) -> FileResponse:
    return FileResponse(
        iter([services.receipt_pdf(receipt)]),
        as_attachment=True,
        filename=f"recu-fiscal-{receipt.number}.pdf",
        content_type="application/pdf",
    )


class DonorReceiptsView(TemplateView):
    """The receipts page a donor reaches from the signed link in their emails."""

    template_name = "donations/donor_receipts.html"

    def dispatch(self, request, *args, **kwargs):
        self.donor = links.donor_of(kwargs["token"])
        if self.donor is None:
            return self.response_class(
                request=request,
                template=["donations/link_expired.html"],
                context={},
                status=403,
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["donor"] = self.donor
        context["receipts"] = selectors.receipts_of([self.donor])
        context["token"] = self.kwargs["token"]
        return context


class DonorReceiptDownloadView(DonorReceiptsView):
    def get(self, request, *args, **kwargs):
        receipt = get_object_or_404(selectors.receipts_of([self.donor]), number=kwargs["number"])
        return receipt_response(receipt)


class StopMonthlyGiftView(TemplateView):
    """The link in monthly donors' emails: a confirmation page, then the gift stops."""

    template_name = "donations/stop_monthly_gift.html"

    def dispatch(self, request, *args, **kwargs):
        self.gift = links.monthly_gift_of(kwargs["token"])
        if self.gift is None:
            return self.response_class(
                request=request, template=["donations/link_expired.html"], context={}, status=403
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(gift=self.gift, **kwargs)

    def post(self, request, *args, **kwargs):
        return _stop(request, self.gift, redirect_to=request.path)


def _stop(request, gift: MonthlyGift, *, redirect_to: str):
    try:
        services.stop_monthly_gift(gift)
    except gateway.StripeUnavailable:
        logger.warning("Could not cancel the subscription of monthly gift %s", gift.pk)
        messages.error(
            request,
            _("Your monthly gift could not be stopped just now. Please try again in a moment."),
        )
    else:
        messages.success(
            request, _("Your monthly gift is stopped: nothing more will be charged. Thank you!")
        )
    return redirect(redirect_to)


class AccountDonationsView(LoginRequiredMixin, TemplateView):
    """The reader's account: their gifts, monthly gifts and receipts."""

    template_name = "donations/account_donations.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_title"] = _("My donations")
        context["active_tab"] = "donations"
        user = self.request.user
        context["monthly_gifts"] = selectors.monthly_gifts_of_account(user)
        context["donations"] = selectors.paid_donations_of_account(user)
        context["receipts"] = selectors.receipts_of_account(user)
        context["email_verified"] = verified_email(self.request.user) is not None
        return context


class AccountReceiptDownloadView(LoginRequiredMixin, View):
    def get(self, request, number):
        receipts = selectors.receipts_of_account(request.user)
        return receipt_response(get_object_or_404(receipts, number=number))


class AccountStopMonthlyGiftView(LoginRequiredMixin, View):
    def post(self, request, pk):
        gift = selectors.monthly_gifts_of_account(request.user).filter(pk=pk).first()
        if gift is None:
            raise Http404
        return _stop(request, gift, redirect_to=reverse("donations:account"))
