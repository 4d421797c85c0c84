"""The association's look, served to every page: its colours as a stylesheet (no inline style:
the Content-Security-Policy), and its logo. Both URLs carry a version (``look_version``,
``logo_version``): a page always asks for the current one, which browsers may keep a year."""

from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.http import require_GET

from donations import look, selectors

YEAR = 365 * 24 * 3600


def _cache(response, *, current: bool):
    # A superseded version is answered with what is current, but not kept for long.
    response["Cache-Control"] = f"public, max-age={YEAR}, immutable" if current else "no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def stylesheet(request, version: str):
    association = selectors.get_association()
    if association is None:
        css, current = look.stylesheet(look.DEFAULT_PRIMARY, look.DEFAULT_ACCENT), False
    else:
        css = look.stylesheet(association.primary_colour, association.accent_colour)
        current = version == association.look_version
    return _cache(HttpResponse(css, content_type="text/css; charset=utf-8"), current=current)


@require_GET
def logo(request, version: str):
    association = selectors.get_association()
    if association is None or not association.logo:
        raise Http404
    try:
        handle = association.logo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    # Always a PNG: the dashboard form draws every upload again as one (donations.look).
    response = FileResponse(handle, content_type="image/png")
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Content-Disposition"] = "inline"
    return _cache(response, current=version == association.logo_version)
