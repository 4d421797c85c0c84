from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from kiosque.access import SuperuserOnlyAdminMixin
from kiosque.links import mask_links
from shop.models import CardPayment


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
