"""The site's own error pages: last resorts in the site's language."""

import logging

from django.conf import settings
from django.http import HttpResponseBadRequest, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import translation

logger = logging.getLogger(__name__)


def _bare_page(template: str) -> str:
    """A last-resort page in the site's language, from settings alone: no request context, no
    database (a failing context processor, database or host may be why we are here)."""
    try:
        return loader.get_template(template).render(
            {
                "shop_name": settings.OSCAR_SHOP_NAME,
                "LANGUAGE_CODE": translation.get_language(),
                "home_url": reverse("magazine:home"),
                "stripe_demo_mode": settings.STRIPE_DEMO_MODE,
            }
        )
    except Exception:  # the last resort must answer
        logger.exception("The page %s could not be rendered", template)
        return f"<h1>{template}</h1>"


def server_error(request):
    return HttpResponseServerError(_bare_page("500.html"))


def bad_request(request, exception):
    return HttpResponseBadRequest(_bare_page("400.html"))


def csrf_failure(request, reason=""):
    """A form sent without its token: the site's page, not Django's (whose English or French
    text speaks of DEBUG)."""
    return render(request, "403_csrf.html", status=403)
