from django.http import HttpResponse
from django.views.generic import TemplateView

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
    response = TemplateView.as_view(template_name="kiosque/forbidden.html")(
        request, message=message
    )
    response.status_code = 403
    return response
