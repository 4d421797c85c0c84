"""No NUL byte past the door: PostgreSQL can store none, so a path or a query string holding
one (``/dashboard/receipts/%00/``) would fail in the database lookup with a 500. Forms refuse
them already (Django's CharField); this covers what views read from the URL."""

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _


def holds_nul(request) -> bool:
    if "\x00" in request.path_info:
        return True
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in request.GET.lists()
    )


class RefuseNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if holds_nul(request):
            return HttpResponseBadRequest(
                _("This address holds a character that is not allowed."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
