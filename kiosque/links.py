"""Signed links in emails: the signature proves the link came in that email, so the page
needs no login. ``days`` limits how long a link stays good (None: for ever)."""

import re

from django.conf import settings
from django.core import signing
from django.urls import reverse


def signed_url(url_name: str, value: int, salt: str) -> str:
    """The site's absolute URL of ``url_name`` with ``value`` signed as its ``token``."""
    token = signing.TimestampSigner(salt=salt).sign(str(value))
    return f"{settings.SITE_URL}{reverse(url_name, kwargs={'token': token})}"


def unsign(token: str, salt: str, days: int | None) -> int | None:
    """The value a token was made for, or None if it is forged or has expired."""
    max_age = None if days is None else days * 24 * 3600
    try:
        return int(signing.TimestampSigner(salt=salt).unsign(token, max_age=max_age))
    except (signing.BadSignature, ValueError):
        return None


# A link (absolute, or a path of two segments or more) and what may follow its first segment.
_LINK = re.compile(
    r"(?P<start>https?://[^/?#\s\"'<>]+/?|(?<![\w/:.])/(?=[\w.~-]+/[^\s\"'<>]))"
    r"(?P<first>[\w.~-]+/)?(?P<rest>[^\s\"'<>]*)"
)
_TRAILING = ".,;:!?)]"
MASKED = "[lien masqué]"


def mask_links(text: str) -> str:
    """``text`` with every link cut after its first segment: what staff may read of an email
    (e.g. in the admin) without following a signed link that acts as its recipient."""

    def mask(match: re.Match) -> str:
        rest = match["rest"]
        kept = rest.rstrip(_TRAILING)
        if not kept:
            return match.group(0)
        return f"{match['start']}{match['first'] or ''}{MASKED}{rest[len(kept) :]}"

    return _LINK.sub(mask, text or "")
