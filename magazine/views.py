from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from oscar.core.loading import get_model

from accounts.selectors import verified_email
from kiosque import ratelimit
from kiosque.access import forbidden
from magazine import links, reader_space, selectors, services
from magazine.catalogue import SUBSCRIPTION_CLASSES
from magazine.forms import GiftSubscriptionForm, NewsletterForm
from magazine.models import Issue, NewsletterSubscriber, Subscription

Product = get_model("catalogue", "Product")

HOME_ISSUES = 9  # the latest, large, then the issues before it


class HomeView(TemplateView):
    """The latest issue large, the issues, the subscriptions and the association's appeal."""

    template_name = "magazine/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        issues = list(selectors.issues_on_sale(limit=HOME_ISSUES))
        records = selectors.issue_records(issues)
        published = [p for p in issues if records.get(p.pk) and records[p.pk].is_published]
        latest = published[0] if published else (issues[0] if issues else None)
        context.update(
            latest=latest,
            latest_issue=records.get(latest.pk) if latest else None,
            issues=[product for product in issues if product is not latest],
            issue_records=records,
            formulas=selectors.subscription_formulas(self.request.strategy),
            first_issue=selectors.first_issue_of_new_subscriptions(),
        )
        return context


class SubscriptionsView(TemplateView):
    """The subscription formulas side by side: what each gives, for how many issues, its
    price, the first issue received; to subscribe or to offer."""

    template_name = "magazine/subscriptions.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            formulas=selectors.subscription_formulas(self.request.strategy),
            first_issue=selectors.first_issue_of_new_subscriptions(),
            next_number=selectors.next_issue_number(),
            **kwargs,
        )


class ReaderSpaceView(LoginRequiredMixin, TemplateView):
    """« Mon espace lecteur »: subscriptions, digital issues, orders, and what other apps
    add (``reader_space``: the tax receipts)."""

    template_name = "magazine/reader_space.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        next_number = selectors.next_issue_number()
        current, past = [], []
        for subscription in selectors.subscriptions_of(user):
            subscription.remaining = selectors.remaining_issues(subscription)
            running = subscription.status == Subscription.Status.ACTIVE and (
                subscription.last_issue >= next_number and subscription.remaining
            )
            (current if running else past).append(subscription)
        context.update(
            page_title=_("My reader's space"),
            active_tab="reader",
            current=current,
            past=past,
            gifts=selectors.gifts_given_by(user),
            entitlements=selectors.entitlements_of(user),
            orders=selectors.orders_of(user)[:10],
            sections=reader_space.sections_for(self.request),  # the receipts, by donations
            email_verified=verified_email(user) is not None,
        )
        return context


def serve_issue_pdf(issue: Issue) -> HttpResponse:
    """The issue's PDF, from storage the web server does not publish; by the web server
    itself when SENDFILE_HEADER says so. The file's path is never shown to the reader."""
    if not issue.pdf:
        return HttpResponse(_("This issue's PDF is not available yet."), status=404)
    filename = f"kiosque-numero-{issue.number}.pdf"
    header = settings.KIOSQUE_SENDFILE_HEADER
    if header:
        response = HttpResponse(content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        if header.lower() == "x-accel-redirect":
            response[header] = settings.KIOSQUE_SENDFILE_PREFIX.rstrip("/") + "/" + issue.pdf.name
        else:
            response[header] = issue.pdf.path
        return response
    return FileResponse(
        issue.pdf.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
    )


class IssueDownloadView(LoginRequiredMixin, View):
    def get(self, request, number):
        entitlement = selectors.entitlement_for(request.user, number)
        if entitlement is None or not entitlement.issue.is_published:
            return forbidden(request, _("You do not have this digital issue."))
        return serve_issue_pdf(entitlement.issue)


class DownloadLinkView(View):
    """The signed, expiring link of the emails: no login needed."""

    def get(self, request, token):
        entitlement = links.entitlement_of(token)
        if entitlement is None or not entitlement.issue.is_published:
            return forbidden(
                request,
                _(
                    "This download link has expired or is incomplete. Your digital issues "
                    "are always in your reader's space."
                ),
            )
        return serve_issue_pdf(entitlement.issue)


class RenewView(TemplateView):
    """The link of the renewal reminders opens this page; its button (POST) puts the right
    renewal in the basket. A GET changes nothing: mail scanners follow links."""

    template_name = "magazine/renew.html"

    def dispatch(self, request, *args, **kwargs):
        self.subscription = links.subscription_to_renew(kwargs["token"])
        if self.subscription is None:
            return forbidden(request, _("This renewal link has expired or is incomplete."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(subscription=self.subscription, **kwargs)

    def post(self, request, token):
        subscription = self.subscription
        services.add_to_basket(request.basket, subscription.product, renews=subscription.pk)
        messages.success(
            request,
            _("The renewal of your subscription is in your basket: it follows on from issue "
              "n°%(number)s.") % {"number": subscription.last_issue},
        )  # fmt: skip
        return redirect("basket:summary")


class GiftSubscriptionView(FormView):
    """Offer a subscription: the recipient's details go with the basket line."""

    form_class = GiftSubscriptionForm
    template_name = "magazine/gift_subscription.html"

    def dispatch(self, request, *args, **kwargs):
        self.product = get_object_or_404(
            Product.objects.browsable().filter(product_class__slug__in=SUBSCRIPTION_CLASSES),
            pk=kwargs["pk"],
        )
        self.needs_address = self.product.get_product_class().requires_shipping
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"needs_address": self.needs_address}

    def get_context_data(self, **kwargs):
        info = self.request.strategy.fetch_for_product(self.product)
        return super().get_context_data(
            product=self.product,
            price=info.price.incl_tax if info.price.exists else None,
            first_issue=selectors.first_issue_of_new_subscriptions(),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        country = data.get("country")
        gift = services.gift_option_value(
            name=data["name"],
            email=data["email"],
            line1=data.get("line1", ""),
            line2=data.get("line2", ""),
            postcode=data.get("postcode", ""),
            city=data.get("city", ""),
            country=country.iso_3166_1_a2 if country else "",
            message=data["message"],
        )
        services.add_to_basket(self.request.basket, self.product, gift=gift)
        messages.success(
            self.request,
            _("The gift subscription for %(name)s is in your basket.") % {"name": data["name"]},
        )
        return redirect("basket:summary")


class NewsletterSignupView(FormView):
    form_class = NewsletterForm
    template_name = "magazine/newsletter.html"

    def form_valid(self, form):
        if not ratelimit.allow_email_request(self.request, "newsletter"):
            form.add_error("email", ratelimit.too_many_requests_message())
            return self.render_to_response(self.get_context_data(form=form), status=429)
        services.request_newsletter(
            form.cleaned_data["email"],
            source=NewsletterSubscriber.Source.FOOTER,
            language=translation.get_language() or "fr",
        )
        # The same answer whether the address was known or not.
        return self.render_to_response(self.get_context_data(form=None, requested=True))


class NewsletterConfirmView(TemplateView):
    """The link of the confirmation email opens this page; only its button (POST) confirms:
    mail scanners follow links, and must not confirm an address for its owner."""

    template_name = "magazine/newsletter_confirm.html"

    def dispatch(self, request, *args, **kwargs):
        self.subscriber = links.subscriber_to_confirm(kwargs["token"])
        if self.subscriber is None:
            return forbidden(
                request,
                _("This confirmation link has expired or is incomplete. Please sign up again."),
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            subscriber=self.subscriber,
            unsubscribe_url=links.unsubscribe_url(self.subscriber),
            **kwargs,
        )

    def post(self, request, token):
        services.confirm_newsletter(self.subscriber)
        return self.render_to_response(self.get_context_data(confirmed=True))


class NewsletterUnsubscribeView(TemplateView):
    template_name = "magazine/newsletter_unsubscribe.html"

    def dispatch(self, request, *args, **kwargs):
        self.subscriber = links.subscriber_to_unsubscribe(kwargs["token"])
        if self.subscriber is None:
            return forbidden(request, _("This unsubscribe link is incomplete."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(subscriber=self.subscriber, **kwargs)

    def post(self, request, token):
        services.unsubscribe_newsletter(self.subscriber)
        return self.render_to_response(self.get_context_data(done=True))
