"""Logs never hold card numbers or whole secrets: a filter on every handler masks them.

Stripe's SDK logs its response bodies at DEBUG (client secrets of PaymentIntents and
SetupIntents), an exception may quote a key or a URL with its password, and a donor may type
their card number in the wrong field. What is masked keeps its kind and its last 4
characters, enough to tell which key or card it was.
"""

import logging
import re

from stdnum import luhn

# Stripe secret and restricted keys, webhook signing secrets, intents' client secrets.
STRIPE_SECRET = re.compile(r"(\b(?:sk|rk)_(?:live|test)_|\bwhsec_|_secret_)([A-Za-z0-9]+)")
# user:password@ in a URL (database, broker, cache).
URL_PASSWORD = re.compile(r"(?<=://)([^:/@\s]*):([^@\s]+)@")
# 13 to 19 digits, maybe grouped by spaces or dashes: a card number if Luhn says so (one in
# ten other such numbers passes too, and is masked as well: a small price in a log).
CARD_NUMBER = re.compile(r"(?<![\d])\d(?:[ -]?\d){12,18}(?![\d])")


def _mask_secret(match: re.Match) -> str:
    prefix, secret = match.groups()
    return f"{prefix}…{secret[-4:]}" if len(secret) > 8 else f"{prefix}…"


def _mask_card(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match[0])
    if not luhn.is_valid(digits):
        return match[0]
    return f"[card …{digits[-4:]}]"


def redact(text: str) -> str:
    text = STRIPE_SECRET.sub(_mask_secret, text)
    text = URL_PASSWORD.sub(r"\1:***@", text)
    return CARD_NUMBER.sub(_mask_card, text)


class RedactSecrets(logging.Filter):
    """Rewrites each record's message, traceback and stack with the secrets masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
