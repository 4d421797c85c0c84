from django.contrib import admin

from donations.models import Association, Donation, Donor, MonthlyGift, Receipt, TreasuryLog
from kiosque.access import TreasurerOnlyAdminMixin

# Every admin of this app is the treasury's (see TreasurerOnlyAdminMixin): donors, gifts,
# receipts, the treasury log, and the association printed on receipts.


@admin.register(Association)
class AssociationAdmin(TreasurerOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "city", "siren", "rna", "monthly_receipts")
    # The signature is private (no URL): the dashboard's Association page uploads and shows it.
    exclude = ("signature",)


@admin.register(Donor)
class DonorAdmin(TreasurerOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("email", "last_name", "first_name", "city", "newsletter_consent_at")
    search_fields = ("email", "last_name", "first_name")
    raw_id_fields = ("user",)


class ReadOnlyAdmin(TreasurerOnlyAdminMixin, admin.ModelAdmin):
    """Gifts and receipts change only through Stripe's word and the treasurer's pages."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MonthlyGift)
class MonthlyGiftAdmin(ReadOnlyAdmin):
    list_display = ("donor", "amount", "status", "started_at", "stopped_at")
    list_filter = ("status",)
    search_fields = ("donor__email", "stripe_subscription_id")


@admin.register(Donation)
class DonationAdmin(ReadOnlyAdmin):
    list_display = ("donor", "amount", "amount_refunded", "status", "paid_at", "receipt")
    list_filter = ("status",)
    search_fields = ("donor__email", "payment_intent_id", "invoice_id")


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ("number", "donor_last_name", "amount", "kind", "status", "issued_at")
    list_filter = ("status", "kind", "year")
    search_fields = ("number", "donor_last_name", "donor__email")
    exclude = ("pdf",)


@admin.register(TreasuryLog)
class TreasuryLogAdmin(ReadOnlyAdmin):
    list_display = ("at", "user", "action", "details")
    list_filter = ("action",)
