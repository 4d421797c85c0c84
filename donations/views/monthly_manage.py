"""The donor's page of a monthly gift, from the signed link in their emails (or their
account): how it is paid, its mandate, its amount; pause, stop."""

from django.views.generic import TemplateView

from donations import links


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
        kwargs.setdefault("token", self.kwargs["token"])  # TemplateView.get passes it already
        return super().get_context_data(gift=self.gift, **kwargs)


class MonthlyGiftView(SignedMonthlyGiftMixin, TemplateView):
    template_name = "donations/monthly_gift.html"
