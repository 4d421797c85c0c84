from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from shop.access import SuperuserOnlyAdminMixin, TreasurerOnlyAdminMixin
from shop.models import CardPayment, OutboxEmail, StripeEvent


@admin.register(OutboxEmail)
class OutboxEmailAdmin(TreasurerOnlyAdminMixin, admin.ModelAdmin):
    """Emails to donors carry their names, amounts and signed links: the treasury's."""

    list_display = ("subject", "recipients", "created_at", "sent_at", "attempts", "failed_at")
    list_filter = ("sent_at", "failed_at")
    search_fields = ("subject", "to")
    readonly_fields = [field.name for field in OutboxEmail._meta.fields]

    @admin.display(description=_("to"))
    def recipients(self, email):
        return ", ".join(email.to)

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


# Oscar keeps a copy of the emails it sends to accounts (password resets among them: a link
# that signs in as their owner): superusers only, read-only.
_Email = get_model("communication", "Email")
_OscarEmailAdmin = type(admin.site._registry[_Email])
admin.site.unregister(_Email)


@admin.register(_Email)
class SentEmailAdmin(SuperuserOnlyAdminMixin, _OscarEmailAdmin):
    pass
