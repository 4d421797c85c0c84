"""Rate limits against card testing: a few payment attempts per IP address and per email in
a window, counted in the shared cache (Redis in production) so that they hold across web
workers and machines. A refused card counts twice: testers mostly see refusals."""

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
        if value:
            return value
    return remote


def _is_trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(
        ip in ipaddress.ip_network(proxy, strict=False)
        for proxy in settings.KIOSQUE_TRUSTED_PROXIES
    )


def _keys(request, email: str, what: str) -> list[str]:
    keys = [f"{PREFIX}{what}:ip:{client_ip(request)}"]
    if email:
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
        keys.append(f"{PREFIX}{what}:email:{digest}")
    return keys


def _count(key: str, weight: int) -> int:
    window = settings.KIOSQUE_PAYMENT_ATTEMPTS_WINDOW
    # add() then incr(): atomic in Redis, so concurrent requests all count.
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key, weight)
    except ValueError:  # expired between the two calls
        cache.set(key, weight, timeout=window)
        return weight


def allow(request, email: str = "", what: str = "payment") -> bool:
    """Count one attempt at ``what`` (a card payment, a donation form sent); False once the
    IP or the email has used up its tries in the window."""
    limit = settings.KIOSQUE_PAYMENT_ATTEMPTS_LIMIT
    counts = [_count(key, 1) for key in _keys(request, email, what)]
    return all(count <= limit for count in counts)


def record_refusal(request, email: str = "") -> None:
    """A card refused by the bank weighs one more payment attempt."""
    for key in _keys(request, email, "payment"):
        _count(key, 1)


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
