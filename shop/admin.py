from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from shop.models import OutboxEmail


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ("subject", "recipients", "created_at", "sent_at", "attempts", "failed_at")
    list_filter = ("sent_at", "failed_at")
    search_fields = ("subject", "to")
    readonly_fields = [field.name for field in OutboxEmail._meta.fields]

    @admin.display(description=_("to"))
    def recipients(self, email):
        return ", ".join(email.to)

    def has_add_permission(self, request):
        return False
