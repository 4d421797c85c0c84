"""The public pages: the donation form, and the thanks once the gift is paid."""

from decimal import Decimal

from django.shortcuts import redirect
from django.utils import translation
from django.views.generic import FormView, TemplateView

from donations import identity as identities
from donations.amounts import cost_after_tax_reduction, euros, tax_reduction_script
from donations.forms import PRESET_AMOUNTS, DonationForm
from donations.models import Donation, MonthlyGift
from donations.services.donors import record_donor
from donations.services.gifts import start_one_off_donation
from donations.services.mandates import debit_expected_on
from donations.services.monthly import start_monthly_gift
from kiosque import ratelimit

# The gift being paid, kept in the session for the payment page (views.payment).
GIFT_KEY = "kiosque_gift"


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
        context["tax_reduction"] = tax_reduction_script()
        # The cost box follows the amount chosen, and only a valid one: after a refused
        # amount (too small, too large, unreadable) it stays hidden until the donor fixes it.
        amount = self.valid_amount(context["form"])
        context["tax_cost"] = (
            {"amount": euros(amount), "cost": euros(cost_after_tax_reduction(amount))}
            if amount is not None
            else None
        )
        return context

    @staticmethod
    def valid_amount(form) -> Decimal | None:
        if not form.is_bound:
            initial = form.get_initial_for_field(form.fields["amount"], "amount")
            return Decimal(initial) if initial in [str(v) for v in PRESET_AMOUNTS] else None
        return getattr(form, "cleaned_data", {}).get("gift_amount")

    def post(self, request, *args, **kwargs):
        if not ratelimit.allow(request, request.POST.get("email", ""), what="donation-form"):
            return ratelimit.too_many_attempts_page(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        language = translation.get_language() or "fr"
        # The name and address go with this gift: the donor's only once it is paid.
        details = form.donor_details()
        donor = record_donor(details=details, user=self.request.user, language=language)
        identity = identities.record_gift_identity(donor=donor, details=details)
        user = self.request.user
        placed_by = user if user.is_authenticated else None  # the account sees what it gave
        given = {"donor": donor, "identity": identity, "language": language, "placed_by": placed_by}
        amount = form.cleaned_data["gift_amount"]
        if form.cleaned_data["frequency"] == "monthly":
            gift = start_monthly_gift(amount=amount, **given)
            self.request.session[GIFT_KEY] = {"kind": "monthly", "pk": gift.pk}
        else:
            donation = start_one_off_donation(amount=amount, **given)
            self.request.session[GIFT_KEY] = {"kind": "once", "pk": donation.pk}
        return redirect("donations:payment")


class ThanksView(TemplateView):
    template_name = "donations/thanks.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        done = self.request.session.get("kiosque_gift_done") or {}
        model = MonthlyGift if done.get("kind") == "monthly" else Donation
        gift = model.objects.filter(pk=done.get("pk")).select_related("donor", "mandate").first()
        context["gift"] = gift
        context["is_monthly"] = model is MonthlyGift
        debits = [gift] if isinstance(gift, Donation) else gift.donations.all() if gift else []
        if any(debit.status == Donation.Status.PROCESSING for debit in debits):
            context["by_debit"] = True
            context["expected_on"] = debit_expected_on(gift.created_at)
        # A debit the bank refused after the page thanked (a reload, the back button).
        context["debit_refused"] = gift is not None and gift.status in (
            Donation.Status.FAILED,
            MonthlyGift.Status.FAILED,
        )
        return context
