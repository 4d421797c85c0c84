"""Settings for the test suite: the production settings, with what tests need."""

import os

# Tests run with DEBUG off, as production does; they need a key of their own.
os.environ.setdefault("SECRET_KEY", "kiosque-tests-only-secret-key-not-for-production")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from .settings import *  # noqa: E402,F403
from .settings import DATABASES, VAR_DIR  # noqa: E402

# On SQLite the test database is a file, so that a Celery worker process sees what tests commit.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-kiosque.sqlite3")}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "test-media"
