"""Kiosque's own settings (imported by config.settings) and the logging."""

from decimal import Decimal

from config.environment import env

# --- Kiosque ------------------------------------------------------------------
# How many times a worker retries an email the mail server refused (backoff up to an hour).
KIOSQUE_EMAIL_MAX_RETRIES = env.int("EMAIL_MAX_RETRIES", default=8)
# The first retry's delay in seconds; each next one doubles, up to an hour.
KIOSQUE_EMAIL_RETRY_BACKOFF = env.int("EMAIL_RETRY_BACKOFF", default=30)
# Postage for single print issues; subscriptions include postage in their price.
KIOSQUE_POSTAGE_CHARGE = Decimal(env.str("POSTAGE_CHARGE", default="2.50"))
# Bounds of an online gift, in euros.
KIOSQUE_DONATION_MIN = Decimal(env.str("DONATION_MIN", default="5"))
KIOSQUE_DONATION_MAX = Decimal(env.str("DONATION_MAX", default="10000"))
# The income-tax reduction on gifts (art. 200 CGI), for the "real cost" shown to donors.
KIOSQUE_TAX_REDUCTION_RATE = Decimal(env.str("TAX_REDUCTION_RATE", default="0.66"))
# How long the links in donors' emails (receipts, stopping a monthly gift) stay valid.
KIOSQUE_DONOR_LINK_DAYS = env.int("DONOR_LINK_DAYS", default=400)
# Against card testing, per IP address and per email in a window (seconds), counted in the
# cache (Redis when REDIS_URL is set, so across web workers): payment forms sent and cards set
# up (successes too: a generous cap on Stripe calls), and cards refused, as Stripe reports them
# (successes never count there); one SetupIntent or PaymentIntent is cancelled after a few
# refusals (see payments.card_attempts).
KIOSQUE_PAYMENT_ATTEMPTS_LIMIT = env.int("PAYMENT_ATTEMPTS_LIMIT", default=20)
KIOSQUE_PAYMENT_ATTEMPTS_WINDOW = env.int("PAYMENT_ATTEMPTS_WINDOW", default=600)
KIOSQUE_PAYMENT_FAILURES_LIMIT = env.int("PAYMENT_FAILURES_LIMIT", default=10)
KIOSQUE_PAYMENT_INTENT_FAILURES_LIMIT = env.int("PAYMENT_INTENT_FAILURES_LIMIT", default=3)
# Against email floods (password resets, newsletter sign-ups): emails sent to one address,
# and such requests from one client address, in a window (seconds).
KIOSQUE_EMAILS_PER_ADDRESS = env.int("EMAILS_PER_ADDRESS", default=3)
KIOSQUE_EMAIL_REQUESTS_PER_IP = env.int("EMAIL_REQUESTS_PER_IP", default=10)
KIOSQUE_EMAIL_REQUESTS_WINDOW = env.int("EMAIL_REQUESTS_WINDOW", default=3600)
# The request header holding the client's address when a proxy sets it (e.g. HTTP_X_REAL_IP);
# empty: REMOTE_ADDR. It is believed only on requests that come from one of the proxies'
# addresses or networks below (anyone else could write any address in it).
KIOSQUE_CLIENT_IP_HEADER = env.str("CLIENT_IP_HEADER", default="")
KIOSQUE_TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=["127.0.0.1", "::1"])
# How long the treasurer's ZIP of a year's receipts is kept for downloading again.
KIOSQUE_RECEIPTS_ARCHIVE_DAYS = env.int("RECEIPTS_ARCHIVE_DAYS", default=7)
# How long the link that confirms an account's email (at sign-up, or a new email) stays valid.
KIOSQUE_EMAIL_CONFIRM_DAYS = env.int("EMAIL_CONFIRM_DAYS", default=3)
# How long a digital issue's download link in an email stays valid.
KIOSQUE_DOWNLOAD_LINK_DAYS = env.int("DOWNLOAD_LINK_DAYS", default=30)
# In production the web server may send the PDF itself once Django has checked the right:
# "X-Accel-Redirect" (nginx, internal location SENDFILE_PREFIX aliased to PRIVATE_MEDIA_ROOT)
# or "X-Sendfile" (Apache mod_xsendfile). Empty: Django streams the file.
KIOSQUE_SENDFILE_HEADER = env.str("SENDFILE_HEADER", default="")
KIOSQUE_SENDFILE_PREFIX = env.str("SENDFILE_PREFIX", default="/private/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Card numbers and secrets are masked before any handler writes a record.
    "filters": {"redact_secrets": {"()": "kiosque.log_redaction.RedactSecrets"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "stripe": {"level": "WARNING"},
        # WeasyPrint tells every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
