"""Kiosque settings, read from the environment (12-factor).

Every variable read here is documented, with its default, in the README ("Configuration").
With no environment at all (and DEBUG on), the site runs on SQLite under var/, with a Celery
broker on the local file system, emails written under var/mail/ and the Stripe stand-in.
"""

import datetime

from celery.schedules import crontab
from csp.constants import NONCE as CSP_NONCE
from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from oscar.defaults import *  # noqa: F403  (Oscar's documented way to get its defaults)

from config.environment import BASE_DIR, DEBUG, VAR_DIR, env, env_path

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (see README, Configuration)."
        )
    # A known key is acceptable only for local development.
    SECRET_KEY = "django-insecure-kiosque-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "axes",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.humanize",
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "shop.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "shop.shipping.apps.ShippingConfig",
    "oscar.apps.catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "oscar.apps.partner.apps.PartnerConfig",
    "oscar.apps.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "oscar.apps.order.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "shop.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "oscar.apps.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "shop.dashboard.users.apps.UsersDashboardConfig",
    "oscar.apps.dashboard.orders.apps.OrdersDashboardConfig",
    "oscar.apps.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "shop.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    # Third-party apps Oscar depends on
    "widget_tweaks",
    "haystack",
    "treebeard",
    "sorl.thumbnail",
    "django_tables2",
    # Kiosque, from the shared core up (see the README's layers)
    "kiosque.apps.KiosqueConfig",
    "payments.apps.PaymentsConfig",
    "shop.apps.ShopConfig",
    "accounts.apps.AccountsConfig",
    "donations.apps.DonationsConfig",
    "magazine.apps.MagazineConfig",
    "demo.apps.DemoConfig",  # `manage.py load_demo`, over every app
    "django.forms",  # its widget templates, for FORM_RENDERER below
]
# Form widgets are drawn from the site's templates, so that templates/django/forms/ can
# correct Django's (a file input's "Actuellement: ", colon glued, in French pages).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

SITE_ID = 1

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kiosque.csp.StripeAwareCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kiosque.nul_bytes.RefuseNulBytesMiddleware",
    "kiosque.page_numbers.PageNumberMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    # Last, as django-axes asks: it answers for the locked-out logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        # Django's, with plain-text templates (*.txt: emails) rendered without HTML escaping.
        "BACKEND": "kiosque.template_engine.Templates",
        "NAME": "django",  # Oscar asks for engines["django"]
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
                "payments.context_processors.stripe",
                "donations.context_processors.association",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
# SQLite under var/ by default; PostgreSQL in production and CI (DATABASE_URL).
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'kiosque.sqlite3'}"),
}
# One transaction per request: a request's writes, and the tasks it enqueues on commit,
# happen together or not at all.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo's web process, worker and webhooks share the file. WAL: readers and the writer
    # do not block each other. IMMEDIATE: a transaction takes the write lock when it begins,
    # so that one which read first does not fail ("database is locked") when it then writes;
    # the others wait for it, up to the timeout (seconds).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

# --- Cache ------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Authentication -----------------------------------------------------------
AUTHENTICATION_BACKENDS = (
    # First: refuses any login to an account locked after repeated failures.
    "kiosque.auth.LockoutBackend",
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
)
# Repeated failed sign-ins lock the pair (account, client address) for a while, counted in the
# database and shared by all workers: a guesser cannot lock the treasurer out of her own desk,
# nor everyone behind the same address. The address is read as everywhere on the site
# (kiosque.ratelimit.client_ip: the proxy's header, only from a trusted proxy); the account name
# case-insensitively, so that case variants of an email share one allowance.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
# Failed sign-ins one client address may make across all accounts in LOGIN_LOCKOUT_MINUTES
# (password spraying: the lock above is per account and address); then it signs nobody in.
KIOSQUE_LOGIN_FAILURES_PER_ADDRESS = env.int("LOGIN_FAILURES_PER_ADDRESS", default=50)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "kiosque.ratelimit.client_ip"
AXES_USERNAME_CALLABLE = "kiosque.auth.login_name"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "kiosque/locked_out.html"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "/"

# --- Internationalisation -------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
# Ours first (makemessages writes it), then the hand-kept corrections of Oscar's own French
# (msgids our code does not use, so makemessages would drop them from ours): README,
# "Translations". Both come before the apps' catalogues (Oscar's).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_oscar"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static and media files -----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env_path("STATIC_ROOT", VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env_path("MEDIA_ROOT", VAR_DIR / "media")
# Digital issues' PDFs: never under MEDIA_URL, served only by the download view after it has
# checked the reader's right (see SENDFILE_HEADER).
PRIVATE_MEDIA_ROOT = env_path("PRIVATE_MEDIA_ROOT", VAR_DIR / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "kiosque.storage.PrivateFileStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT)},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Email --------------------------------------------------------------------
# Every email goes through the outbox (kiosque.mail.OutboxEmailBackend): it is stored in the
# request's transaction and delivered by a Celery worker with EMAIL_DELIVERY_BACKEND.
EMAIL_BACKEND = "kiosque.mail.OutboxEmailBackend"
EMAIL_DELIVERY_BACKEND = env.str(
    "EMAIL_DELIVERY_BACKEND", default="django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = env_path("EMAIL_FILE_PATH", VAR_DIR / "mail")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Kiosque <kiosque@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
OSCAR_FROM_EMAIL = DEFAULT_FROM_EMAIL
# A new account gets Kiosque's welcome email (accounts.services.welcome: what the account
# gives and the confirmation link), not Oscar's one line "Thank you for registering."
OSCAR_SEND_REGISTRATION_EMAIL = False

# --- Celery -------------------------------------------------------------------
# Default broker: kombu's file-system transport, so that a real worker runs tasks with no
# server to install. Production and CI use Redis (CELERY_BROKER_URL=redis://...).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_DIR = env_path("CELERY_BROKER_DIR", VAR_DIR / "celery")
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
    }
    # The transport expects its folders to exist, in the web process and in the worker.
    for _folder in ("queue", "control"):
        (CELERY_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
else:
    # With Redis, a job whose worker died unacknowledged goes back to the queue after this
    # many seconds: longer than the longest job (a year's ZIP of receipts), or it runs twice.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
    }
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_IGNORE_RESULT = CELERY_RESULT_BACKEND is None
# A task is acknowledged once done, so a worker killed mid-task leaves it to another.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A safety net: a pool process is replaced, after its current task, once it uses more than
# this many kilobytes. A worker making receipt PDFs stays near 200 MB (bench/batch_memory.py)
# since they share one font configuration (kiosque.pdf); a leak anywhere would be capped here.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=512_000)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    # Emails whose task never reached the broker (broker down at commit) are sent from here.
    "flush-email-outbox": {"task": "kiosque.tasks.flush_email_outbox", "schedule": 60.0},
    "send-renewal-reminders": {
        "task": "magazine.tasks.send_renewal_reminders",
        "schedule": crontab(minute=0, hour=8),
    },
    # Card attempts (client address and email, against card testing) kept a day at most.
    "purge-card-attempts": {
        "task": "payments.tasks.purge_card_attempts",
        "schedule": crontab(minute=45, hour=3),
    },
    "purge-old-receipt-archives": {
        "task": "donations.tasks.purge_old_archives",
        "schedule": crontab(minute=30, hour=3),
    },
    # Summary receipts of last year's monthly gifts, once December's debits have cleared.
    "issue-annual-receipts": {
        "task": "donations.tasks.issue_annual_receipts",
        "schedule": crontab(minute=0, hour=6, day_of_month=15, month_of_year=1),
    },
}

# --- Stripe -------------------------------------------------------------------
# Without STRIPE_SECRET_KEY the site runs in demonstration mode against the local
# stand-in (localstripe), whose address STRIPE_API_BASE gives.
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="pk_test_kiosque_demo")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="whsec_kiosque_demo")
STRIPE_DEMO_MODE = not STRIPE_SECRET_KEY
STRIPE_API_BASE = env.str(
    "STRIPE_API_BASE",
    default="http://127.0.0.1:8420" if STRIPE_DEMO_MODE else "https://api.stripe.com",
)
STRIPE_JS_URL = env.str(
    "STRIPE_JS_URL",
    default=f"{STRIPE_API_BASE}/js.stripe.com/v3/"
    if STRIPE_DEMO_MODE
    else "https://js.stripe.com/v3/",
)


# --- Content-Security-Policy ------------------------------------------------------
# Exactly what the pages need: the site's own files, the one inline script of Oscar's base
# page (its nonce), four inline handlers of Oscar's templates (by hash), and Stripe, whose
# addresses kiosque.csp adds from STRIPE_JS_URL and STRIPE_API_BASE.
_OSCAR_INLINE_HANDLERS = (
    "'sha256-NqaPugiVKFsqU2P8L2sjJSLsiSKaQB+C9S5V0ZiRxfc='",  # window.history.go(-1);return false
    "'sha256-gZHW0ZTdDBnW8n/Qf9lGuwm2LvPkTQwflpfLAabDyMQ='",  # history.go(-1);return false
    "'sha256-KfMr/znHoNXbaysXJVVD9BDDdgwELnZLrjgLxMfySJE='",  # window.close();return false;
    "'sha256-MguIPR6qNR8D3B+eAlK+bIRTZe8t3wkOY4B/56Me9FU='",  # window.print()
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF, CSP_NONCE, "'unsafe-hashes'", *_OSCAR_INLINE_HANDLERS],
        # Bootstrap's and select2's scripts set style attributes.
        "style-src": [CSP_SELF, "'unsafe-inline'"],
        "img-src": [CSP_SELF, "data:"],
        "font-src": [CSP_SELF, "data:"],
        "connect-src": [CSP_SELF],
        "frame-src": [CSP_SELF],
        "form-action": [CSP_SELF],
        "frame-ancestors": [CSP_NONE],
        "base-uri": [CSP_SELF],
        "object-src": [CSP_NONE],
    },
}
if STRIPE_DEMO_MODE:
    STRIPE_SECRET_KEY = "sk_test_kiosque_demo"  # the stand-in accepts any sk_ key

# --- Security (production) --------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
CSRF_FAILURE_VIEW = "kiosque.views.csrf_failure"  # the site's page, in its language
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Oscar's settings and Kiosque's own, each in its file (every one documented in the README).
from config.settings_kiosque import *  # noqa: E402, F403
from config.settings_oscar import *  # noqa: E402, F403
