from django.contrib import admin

from kiosque.access import TreasurerOnlyAdminMixin
from payments.models import StripeEvent


@admin.register(StripeEvent)
class StripeEventAdmin(TreasurerOnlyAdminMixin, admin.ModelAdmin):
    """Stripe's payloads name donors (invoices, payment intents): the treasury's."""

    list_display = ("event_id", "type", "handled", "received_at")
    list_filter = ("type", "handled")
    search_fields = ("event_id",)
    readonly_fields = [field.name for field in StripeEvent._meta.fields]

    def has_add_permission(self, request):
        return False
