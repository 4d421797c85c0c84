from django.http import HttpResponse
from django.template.response import TemplateResponse

# The staff group of those who keep the accounts: tax receipts, their register and exports.
TREASURER_GROUP = "Trésorerie"


def staff_only(user, url_name=None, url_args=None, url_kwargs=None) -> bool:
    """Dashboard menu access for Kiosque's own pages (Oscar's default knows only its apps)."""
    return user.is_active and user.is_staff


def treasurer_only(user, url_name=None, url_args=None, url_kwargs=None) -> bool:
    """The treasurer's pages: staff of the treasury group, or superusers."""
    return staff_only(user) and (
        user.is_superuser or user.groups.filter(name=TREASURER_GROUP).exists()
    )


def forbidden(request, message: str) -> HttpResponse:
    """A 403 page in the site's look that says why (a link expired, a file that is not theirs)."""
    # Whatever the method: a refused POST (a link's button) gets the page too, not a 405.
    return TemplateResponse(request, "kiosque/forbidden.html", {"message": message}, status=403)


class TreasurerOnlyAdminMixin:
    """A ModelAdmin of donor data, receipts or emails: the treasury group and superusers only,
    whatever model permissions a staff member was granted (by mistake or by a group)."""

    def has_module_permission(self, request):
        return treasurer_only(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return treasurer_only(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args, **kwargs):
        return treasurer_only(request.user) and super().has_add_permission(request, *args, **kwargs)

    def has_change_permission(self, request, obj=None):
        return treasurer_only(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return treasurer_only(request.user) and super().has_delete_permission(request, obj)


class SuperuserOnlyAdminMixin:
    """A ModelAdmin of what would let its reader or editor act as someone else (copies of
    emails with password-reset links; the email templates that write them): superusers only,
    whatever permissions were granted. Read-only unless ``read_only`` is False."""

    read_only = True

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, *args, **kwargs):
        return request.user.is_superuser and not self.read_only

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and not self.read_only

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
