from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.generic import UpdateView

from donations.forms import AssociationForm
from donations.models import Association
from donations.selectors import get_association


@method_decorator(staff_member_required, name="dispatch")
class AssociationUpdateView(UpdateView):
    """The dashboard page where staff keep the association's details up to date."""

    form_class = AssociationForm
    template_name = "donations/dashboard/association_form.html"
    success_url = reverse_lazy("donations-dashboard:association")

    def get_object(self, queryset=None):
        return get_association() or Association()

    def form_valid(self, form):
        messages.success(self.request, _("The association's details have been saved."))
        return super().form_valid(form)
