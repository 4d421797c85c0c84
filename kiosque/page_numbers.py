"""Page numbers in the staff dashboard's query strings: a positive whole number or nothing.

Oscar's dashboard lists (django-tables2's ``per_page``, the product lookup's ``page``) answer
500 to ``0`` or ``-5``; the desk's lists answered 404. One check before any of them: a page
number that is not one is refused in words (400), in the reader's language."""

from django.http import HttpResponseBadRequest
from django.utils.text import Truncator
from django.utils.translation import gettext as _

PARAMETERS = ("page", "per_page")
LARGEST = 10**6


def is_page_number(value: str, parameter: str) -> bool:
    if parameter == "page" and value == "last":  # Django's paginator knows "last"
        return True
    return value.isascii() and value.isdigit() and 1 <= int(value) <= LARGEST


class PageNumberMiddleware:
    prefix = "/dashboard/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(self.prefix):
            for parameter in PARAMETERS:
                for value in request.GET.getlist(parameter):
                    if not is_page_number(value, parameter):
                        return HttpResponseBadRequest(
                            _("The page number “%(value)s” is not valid.")
                            % {"value": Truncator(value).chars(12)},
                            content_type="text/plain; charset=utf-8",
                        )
        return self.get_response(request)
