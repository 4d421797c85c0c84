from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kiosque.access import TreasurerOnlyAdminMixin
from kiosque.links import mask_links
from kiosque.models import OutboxEmail


@admin.register(OutboxEmail)
class OutboxEmailAdmin(TreasurerOnlyAdminMixin, admin.ModelAdmin):
    """Emails to donors carry their names, amounts and signed links: the treasury's."""

    list_display = ("subject", "recipients", "created_at", "sent_at", "attempts", "failed_at")
    list_filter = ("sent_at", "failed_at")
    # Never the bodies or headers: a search would tell whether a link's token is in one.
    search_fields = ("subject", "to")
    # Their links would act as the recipient (a password reset signs in as them): every link
    # is masked after its first segment (kiosque.links.mask_links), the raw fields never shown.
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
