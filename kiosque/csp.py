"""The Content-Security-Policy, with Stripe's addresses read from the settings per request
(tests and the demo point Stripe.js at the stand-in, whose port changes)."""

from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class StripeAwareCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        scripts, api = _origin(settings.STRIPE_JS_URL), _origin(settings.STRIPE_API_BASE)
        stripe = {
            "script-src": [scripts],
            "img-src": [scripts],
            "frame-src": [scripts, "https://hooks.stripe.com"],
            "connect-src": [api],
        }
        for directive, sources in (parts.update or {}).items():
            stripe[directive] = [*stripe.get(directive, []), *sources]
        parts.update = stripe
        return parts
