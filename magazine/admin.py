from django.contrib import admin

from magazine.models import (
    Entitlement,
    Issue,
    NewsletterSubscriber,
    RenewalReminder,
    ServedIssue,
    Subscription,
)


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "publication_date", "status")
    list_filter = ("status",)
    # The PDF has no public URL (private storage): no link to it here.
    exclude = ("pdf",)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = (
        "recipient_name", "recipient_email", "format", "first_issue", "last_issue", "status",
        "is_gift",
    )  # fmt: skip
    list_filter = ("format", "status", "is_gift")
    search_fields = ("recipient_name", "recipient_email", "buyer_email")
    raw_id_fields = ("user", "order_line", "renews", "product")


@admin.register(Entitlement)
class EntitlementAdmin(admin.ModelAdmin):
    list_display = ("email", "issue", "created_at")
    search_fields = ("email",)
    raw_id_fields = ("user", "order_line", "subscription")


@admin.register(NewsletterSubscriber)
class NewsletterSubscriberAdmin(admin.ModelAdmin):
    list_display = ("email", "status", "source", "requested_at", "consent_at", "unsubscribed_at")
    list_filter = ("status", "source")
    search_fields = ("email",)
    readonly_fields = ("requested_at", "consent_at", "unsubscribed_at")


admin.site.register(ServedIssue)
admin.site.register(RenewalReminder)
