import pytest
from django.core.management import call_command
from haystack import connections


@pytest.fixture
def search_index():
    """An empty search index: what earlier tests indexed was rolled back from the database."""
    backend = connections["default"].get_backend()
    backend.clear()
    yield backend
    backend.clear()


@pytest.fixture
def demo(db, search_index):
    """The demonstration data of `manage.py load_demo`."""
    call_command("load_demo", stdout=None)


@pytest.fixture
def outbox_emails(settings):
    """Send emails through Kiosque's outbox, as production does (pytest-django uses locmem)."""
    settings.EMAIL_BACKEND = "shop.mail.OutboxEmailBackend"
