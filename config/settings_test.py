"""Settings for the test suite: the production settings, with what tests need."""

import os

# Tests run with DEBUG off, as production does; they need a key of their own.
os.environ.setdefault("SECRET_KEY", "kiosque-tests-only-secret-key-not-for-production")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
# Tests keep their files apart from the demo's, so that `make run` and `make test` can share var/.
os.environ.setdefault("CELERY_BROKER_DIR", "var/test-celery")
os.environ.setdefault("SEARCH_INDEX_PATH", "var/test-whoosh")
os.environ.setdefault("EMAIL_FILE_PATH", "var/test-mail")
os.environ.setdefault("MEDIA_ROOT", "var/test-media")

from .settings import *  # noqa: F403
from .settings import DATABASES, VAR_DIR

# On SQLite the test database is a file, so that a Celery worker process sees what tests commit.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-kiosque.sqlite3")}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "kiosque.storage.PrivateFileStorage",
        "OPTIONS": {"location": str(VAR_DIR / "test-private")},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
