"""The magazine's pages in Oscar's dashboard: issues, publishing, the routing list, and the
newsletter's subscribers."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, ListView, TemplateView, UpdateView

from kiosque.exports import Spreadsheet, SpreadsheetView
from magazine import routing, selectors, services
from magazine.forms import IssueForm
from magazine.models import Issue, NewsletterSubscriber


@method_decorator(staff_member_required, name="dispatch")
class IssueListView(ListView):
    template_name = "magazine/dashboard/issue_list.html"
    context_object_name = "issues"

    def get_queryset(self):
        return Issue.objects.order_by("-number")

    def get_context_data(self, **kwargs):
        return super().get_context_data(next_number=selectors.next_issue_number(), **kwargs)


@method_decorator(staff_member_required, name="dispatch")
class IssueCreateView(CreateView):
    form_class = IssueForm
    template_name = "magazine/dashboard/issue_form.html"
    success_url = reverse_lazy("magazine-dashboard:issues")

    def get_initial(self):
        return {"number": selectors.next_issue_number()}


@method_decorator(staff_member_required, name="dispatch")
class IssueUpdateView(UpdateView):
    form_class = IssueForm
    model = Issue
    slug_field = slug_url_kwarg = "number"
    template_name = "magazine/dashboard/issue_form.html"
    success_url = reverse_lazy("magazine-dashboard:issues")


@method_decorator(staff_member_required, name="dispatch")
class IssuePublishView(View):
    def post(self, request, number):
        issue = get_object_or_404(Issue, number=number)
        served = services.publish_issue(issue)
        messages.success(
            request,
            _("Issue n°%(number)s is published; %(served)s subscriptions recorded as served.")
            % {"number": number, "served": served},
        )
        return redirect("magazine-dashboard:issues")


@method_decorator(staff_member_required, name="dispatch")
class RoutingListView(TemplateView):
    """What to post for an issue: counts per country, and the CSV and labels to download."""

    template_name = "magazine/dashboard/routing_list.html"

    def get(self, request, number):
        issue = get_object_or_404(Issue, number=number)
        parcels = selectors.routing_list(number)
        return self.render_to_response(
            self.get_context_data(
                issue=issue,
                parcels=parcels,
                counts=selectors.count_by_country(parcels),
                total_copies=sum(parcel.quantity for parcel in parcels),
            )
        )


@method_decorator(staff_member_required, name="dispatch")
class RoutingExportView(SpreadsheetView):
    """The routing list as the printer's CSV, or as A4 address labels (PDF)."""

    def get(self, request, number, format):
        if format == "pdf":
            issue = get_object_or_404(Issue, number=number)
            response = HttpResponse(
                routing.routing_labels_pdf(issue, selectors.routing_list(number)),
                content_type="application/pdf",
            )
            response["Content-Disposition"] = f'attachment; filename="etiquettes-n{number}.pdf"'
            return response
        return super().get(request, format, number=number)

    def spreadsheet(self, format, number):
        get_object_or_404(Issue, number=number)
        return routing.routing_spreadsheet(number, selectors.routing_list(number))


@method_decorator(staff_member_required, name="dispatch")
class NewsletterExportView(SpreadsheetView):
    """Confirmed subscribers, with the consent kept, as CSV."""

    def spreadsheet(self, format):
        # The association's file: French headers and words, whatever the staff's language.
        with translation.override("fr"):
            header = [_("Email address"), _("Consent given on"), _("Signed up from"), _("Language")]
            sources = {value: str(label) for value, label in NewsletterSubscriber.Source.choices}
        rows = (
            [
                subscriber.email,
                subscriber.consent_at,
                sources.get(subscriber.source, subscriber.source),
                subscriber.language,
            ]
            for subscriber in selectors.confirmed_newsletter_subscribers().iterator()
        )
        return Spreadsheet("lettre-abonnes", "lettre", header, rows)
