from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from shop.access import SuperuserOnlyAdminMixin, TreasurerOnlyAdminMixin
from shop.links import mask_links
from shop.models import CardPayment, OutboxEmail, StripeEvent


@admin.register(OutboxEmail)
class OutboxEmailAdmin(TreasurerOnlyAdminMixin, admin.ModelAdmin):
    """Emails to donors carry their names, amounts and signed links: the treasury's."""

    list_display = ("subject", "recipients", "created_at", "sent_at", "attempts", "failed_at")
    list_filter = ("sent_at", "failed_at")
    # Never the bodies or headers: a search would tell whether a link's token is in one.
    search_fields = ("subject", "to")
    # Their links would act as the recipient (a password reset signs in as them): every link
    # is masked after its first segment (shop.links.mask_links), the raw fields never shown.
    fields = readonly_fields = (
        "subject",
        "from_email",
        "recipients",
        "created_at",
        "sent_at",
        "attempts",
        "failed_at",
        "last_error_masked",
        "body_masked",
        "html_body_masked",
        "headers_masked",
        "attachment_names",
    )

    @admin.display(description=_("to"))
    def recipients(self, email):
        return ", ".join(email.to + email.cc + email.bcc)

    @admin.display(description=_("text body"))
    def body_masked(self, email):
        return mask_links(email.body)

    @admin.display(description=_("HTML body"))
    def html_body_masked(self, email):
        return mask_links(email.html_body)

    @admin.display(description=_("headers"))
    def headers_masked(self, email):
        return mask_links("\n".join(f"{name}: {value}" for name, value in email.headers.items()))

    @admin.display(description=_("last error"))
    def last_error_masked(self, email):
        return mask_links(email.last_error)

    @admin.display(description=_("attachments"))
    def attachment_names(self, email):
        return ", ".join(str(attachment.get("filename", "")) for attachment in email.attachments)

    def has_add_permission(self, request):
        return False


@admin.register(CardPayment)
class CardPaymentAdmin(admin.ModelAdmin):
    list_display = (
        "order_number",
        "amount",
        "status",
        "error_code",
        "payment_intent_id",
        "created_at",
    )
    list_filter = ("status",)
    search_fields = ("order_number", "payment_intent_id", "guest_email")
    readonly_fields = [field.name for field in CardPayment._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(StripeEvent)
class StripeEventAdmin(TreasurerOnlyAdminMixin, admin.ModelAdmin):
    """Stripe's payloads name donors (invoices, payment intents): the treasury's."""

    list_display = ("event_id", "type", "handled", "received_at")
    list_filter = ("type", "handled")
    search_fields = ("event_id",)
    readonly_fields = [field.name for field in StripeEvent._meta.fields]

    def has_add_permission(self, request):
        return False


# Oscar's email templates saved in the database write every email it sends (a password reset's
# link, whatever the account's context holds): superusers only, in the admin as in Oscar's
# dashboard (shop.dashboard.communications).
_EmailTemplate = get_model("communication", "CommunicationEventType")
_OscarEmailTemplateAdmin = type(admin.site._registry[_EmailTemplate])
admin.site.unregister(_EmailTemplate)


@admin.register(_EmailTemplate)
class EmailTemplateAdmin(SuperuserOnlyAdminMixin, _OscarEmailTemplateAdmin):
    read_only = False


# Oscar keeps a copy of the emails it sends to accounts (password resets among them: a link
# that signs in as their owner): superusers only, read-only.
_Email = get_model("communication", "Email")
_OscarEmailAdmin = type(admin.site._registry[_Email])
admin.site.unregister(_Email)


@admin.register(_Email)
class SentEmailAdmin(SuperuserOnlyAdminMixin, _OscarEmailAdmin):
    # Even for superusers, the links masked and the bodies not searched (see OutboxEmailAdmin).
    search_fields = ("subject", "user__email", "email")
    autocomplete_fields = ()
    fields = readonly_fields = (
        "user",
        "email",
        "subject",
        "date_sent",
        "body_text_masked",
        "body_html_masked",
    )

    @admin.display(description=_("Body Text"))
    def body_text_masked(self, email):
        return mask_links(email.body_text)

    @admin.display(description=_("Body HTML"))
    def body_html_masked(self, email):
        return mask_links(email.body_html)
