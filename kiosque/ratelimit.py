"""Rate limits per client address and per email in a window, counted in the shared cache
(Redis in production) so that they hold across web workers and machines.

Against card testing: a generous number of payment forms and card set-ups (what costs
Stripe calls; successes count here, but an office paying many times does not reach it), and
few refused cards, counted from Stripe's own reports (payments.card_attempts): successful
payments never count there."""

import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

PREFIX = "kiosque:ratelimit:"


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or, on a request from a trusted proxy
    (TRUSTED_PROXIES), the address in the header it sets (CLIENT_IP_HEADER). Of a list
    (``X-Forwarded-For: client-written, ..., proxy-written``) the last entry, the one our
    proxy wrote. Login lockouts (AXES_CLIENT_IP_CALLABLE) read it too."""
    remote = request.META.get("REMOTE_ADDR", "")
    header = settings.KIOSQUE_CLIENT_IP_HEADER
    if header and _is_trusted_proxy(remote):
        value = request.META.get(header, "").split(",")[-1].strip()
        if _ip(value):  # never a made-up value (stored by django-axes as an address)
            return value
    return remote


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _is_trusted_proxy(address: str) -> bool:
    ip = _ip(address)
    return ip is not None and any(
        ip in ipaddress.ip_network(proxy, strict=False)
        for proxy in settings.KIOSQUE_TRUSTED_PROXIES
    )


def _keys(ip: str, email: str, what: str) -> list[str]:
    keys = [f"{PREFIX}{what}:ip:{ip}"]
    if email:
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
        keys.append(f"{PREFIX}{what}:email:{digest}")
    return keys


def _count(key: str, weight: int, window: int | None = None) -> int:
    window = window or settings.KIOSQUE_PAYMENT_ATTEMPTS_WINDOW
    # add() then incr(): atomic in Redis, so concurrent requests all count.
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key, weight)
    except ValueError:  # expired between the two calls
        cache.set(key, weight, timeout=window)
        return weight


def allow(request, email: str = "", what: str = "payment") -> bool:
    """Count one attempt at ``what`` (a card set up, a donation form sent); False once the
    IP or the email has used up its tries in the window."""
    limit = settings.KIOSQUE_PAYMENT_ATTEMPTS_LIMIT
    counts = [_count(key, 1) for key in _keys(client_ip(request), email, what)]
    return all(count <= limit for count in counts)


CARD_FAILURES = "card-failures"


def count_card_failure(*, ip: str, email: str) -> bool:
    """Count a card Stripe refused against the address and the email that set it up; True
    once either has reached PAYMENT_FAILURES_LIMIT in the window."""
    limit = settings.KIOSQUE_PAYMENT_FAILURES_LIMIT
    counts = [_count(key, 1) for key in _keys(ip, email, CARD_FAILURES)]  # each one counts
    return any(count >= limit for count in counts)


def card_failures_exhausted(request, email: str = "") -> bool:
    """Whether the client's address or the email has no refused card left in the window."""
    limit = settings.KIOSQUE_PAYMENT_FAILURES_LIMIT
    keys = _keys(client_ip(request), email, CARD_FAILURES)
    return any((cache.get(key) or 0) >= limit for key in keys)


# Against email floods (password resets, newsletter sign-ups): emails sent to one address, and
# requests from one client address, in EMAIL_REQUESTS_WINDOW.


def _login_failures_key(request) -> str:
    return f"{PREFIX}login-failures:ip:{client_ip(request)}"


def count_login_failure(request) -> None:
    """A failed sign-in from the client's address, whatever the account (password spraying)."""
    _count(_login_failures_key(request), 1, settings.AXES_COOLOFF_TIME.total_seconds())


def login_failures_exhausted(request) -> bool:
    """Whether the client's address made LOGIN_FAILURES_PER_ADDRESS failed sign-ins lately."""
    failures = cache.get(_login_failures_key(request), 0)
    return failures >= settings.KIOSQUE_LOGIN_FAILURES_PER_ADDRESS


def allow_email_request(request, what: str) -> bool:
    """Count one request that sends an email (``what``: its kind) from the client's address;
    False once it has used up EMAIL_REQUESTS_PER_IP in the window."""
    key = f"{PREFIX}{what}:ip:{client_ip(request)}"
    count = _count(key, 1, settings.KIOSQUE_EMAIL_REQUESTS_WINDOW)
    return count <= settings.KIOSQUE_EMAIL_REQUESTS_PER_IP


def allow_email_to(email: str, what: str) -> bool:
    """Count one email of kind ``what`` to ``email`` (known or not); False once the address
    has had EMAILS_PER_ADDRESS in the window. Callers then send nothing and answer as if
    they had sent it, so that the answer tells nothing about the address."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    count = _count(f"{PREFIX}{what}:to:{digest}", 1, settings.KIOSQUE_EMAIL_REQUESTS_WINDOW)
    return count <= settings.KIOSQUE_EMAILS_PER_ADDRESS


def too_many_requests_message() -> str:
    minutes = settings.KIOSQUE_EMAIL_REQUESTS_WINDOW // 60
    return _(
        "Too many requests from your connection. For your security, please wait "
        "%(minutes)s minutes before trying again."
    ) % {"minutes": minutes}


def too_many_attempts_message() -> str:
    minutes = settings.KIOSQUE_PAYMENT_ATTEMPTS_WINDOW // 60
    return _(
        "Too many payment attempts. For your security, please wait %(minutes)s minutes "
        "before trying again. Nothing was charged."
    ) % {"minutes": minutes}


def too_many_attempts_json() -> JsonResponse:
    return JsonResponse({"error": too_many_attempts_message()}, status=429)


def too_many_attempts_page(request):
    return render(
        request,
        "kiosque/too_many_attempts.html",
        {"message": too_many_attempts_message()},
        status=429,
    )
