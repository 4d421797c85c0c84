"""The donor's page of a monthly gift, from the signed link in their emails (or their
account): how it is paid, its mandate, its amount; change the amount, pause, stop."""

import logging

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from donations import links, schedule
from donations.amounts import euros
from donations.schedule_forms import MonthlyAmountForm, PauseForm
from donations.services import monthly_schedule
from payments import gateway, subscription_schedule

logger = logging.getLogger(__name__)


class SignedMonthlyGiftMixin:
    """The monthly gift a signed link names; 403 with the expired-link page otherwise."""

    def dispatch(self, request, *args, **kwargs):
        self.gift = links.monthly_gift_of(kwargs["token"])
        if self.gift is None:
            return self.response_class(
                request=request, template=["donations/link_expired.html"], context={}, status=403
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        # TemplateView.get passes the URL's kwargs (the token) here too.
        kwargs.update(gift=self.gift, token=self.kwargs["token"])
        return super().get_context_data(**kwargs)


class MonthlyGiftView(SignedMonthlyGiftMixin, TemplateView):
    """The page; its forms post to the views below, which show it again with their errors."""

    template_name = "donations/monthly_gift.html"

    def get_context_data(self, **kwargs):
        gift = self.gift
        kwargs.setdefault("amount_form", MonthlyAmountForm())
        kwargs.setdefault("pause_form", PauseForm())
        return super().get_context_data(
            state=schedule.state(gift),
            running=schedule.is_running(gift),
            next_payment_on=self._next_payment_on(),
            payment_method_url=links.payment_method_url(gift),
            stop_url=links.stop_url(gift),
            **kwargs,
        )

    def _next_payment_on(self):
        """Stripe's word, if it answers; the page does without it otherwise."""
        gift = self.gift
        if schedule.is_paused(gift):
            return gift.paused_until
        if not schedule.is_running(gift):
            return None
        try:
            at = subscription_schedule.next_payment_at(subscription_id=gift.stripe_subscription_id)
        except gateway.StripeUnavailable:
            return None
        return at and timezone.localdate(at)


class _ScheduleChange(MonthlyGiftView):
    """A form of the page: done, back to the page with a message; refused or Stripe out of
    reach, the page with the form as the donor filled it and a French message. A GET shows
    the page (it acts on a POST only, with its CSRF token)."""

    form_class = None
    form_name = ""

    def post(self, request, *args, **kwargs):
        form = self.form_class(request.POST) if self.form_class else None
        if form is not None and not form.is_valid():
            return self.render_to_response(self.get_context_data(**{self.form_name: form}))
        try:
            done = self.change(form.cleaned_data if form else {})
        except monthly_schedule.ScheduleRefused as refusal:
            messages.error(request, refusal.message)
        except gateway.StripeUnavailable:
            logger.warning("Could not change the schedule of monthly gift %s", self.gift.pk)
            messages.error(
                request,
                _("Your monthly gift could not be changed just now. Please try again in a moment."),
            )
        else:
            messages.success(request, done)
            return redirect(self._page())
        context = self.get_context_data(**({self.form_name: form} if form else {}))
        return self.render_to_response(context)

    def _page(self) -> str:
        return reverse("donations:monthly-gift", kwargs={"token": self.kwargs["token"]})

    def change(self, data: dict) -> str:
        """Make the change; what to tell the donor."""
        raise NotImplementedError


class ChangeAmountView(_ScheduleChange):
    form_class = MonthlyAmountForm
    form_name = "amount_form"

    def change(self, data):
        self.gift = monthly_schedule.change_monthly_amount(gift=self.gift, amount=data["amount"])
        return _("From your next debit, you give %(amount)s € every month. Thank you!") % {
            "amount": euros(self.gift.amount)
        }


class PauseView(_ScheduleChange):
    form_class = PauseForm
    form_name = "pause_form"

    def change(self, data):
        self.gift = monthly_schedule.pause_monthly_gift(gift=self.gift, months=data["months"])
        return _("Your monthly gift is paused: it resumes by itself on %(date)s.") % {
            "date": date_format(self.gift.paused_until, "j F Y")
        }


class ResumeView(_ScheduleChange):
    def change(self, data):
        self.gift = monthly_schedule.resume_monthly_gift(gift=self.gift)
        return _("Your monthly gift has resumed. Thank you!")
