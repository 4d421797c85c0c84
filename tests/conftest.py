import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import translation
from haystack import connections


@pytest.fixture(autouse=True)
def default_language(settings):
    """Each test starts in the site's language: a request to /en/ in an earlier test leaves
    English active in the thread, and reverse() and gettext outside requests would follow it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: rate-limit counters do not carry over."""
    from django.core.cache import cache

    cache.clear()


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


@pytest.fixture(scope="module")
def demo_for_module(django_db_setup, django_db_blocker):
    """The demonstration data loaded once for a whole module, for modules of many short tests
    (a load takes a second or two). It is loaded in a transaction left open for the module:
    each test runs in a savepoint inside it (what a test writes is rolled back), and the
    demo itself is rolled back when the module ends, leaving the database as migrated."""
    backend = connections["default"].get_backend()
    with django_db_blocker.unblock():
        backend.clear()
        module_transaction = transaction.atomic()
        module_transaction.__enter__()
        call_command("load_demo", stdout=None)
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        module_transaction.__exit__(None, None, None)
        backend.clear()


@pytest.fixture
def demo_once(demo_for_module, db):
    """`demo` for the tests of a module marked with it: see demo_for_module."""


@pytest.fixture
def outbox_emails(settings):
    """Send emails through Kiosque's outbox, as production does (pytest-django uses locmem)."""
    settings.EMAIL_BACKEND = "kiosque.mail.OutboxEmailBackend"


@pytest.fixture(scope="session")
def stripe_standin_server():
    from tests.support.stripe_standin import StandIn, WebhookInbox

    standin = StandIn(WebhookInbox())
    yield standin
    standin.stop()


@pytest.fixture
def stripe_standin(stripe_standin_server, settings):
    """The Stripe stand-in, emptied, with the site's settings pointing at it."""
    from tests.support.stripe_standin import WEBHOOK_SECRET

    settings.STRIPE_SECRET_KEY = "sk_test_kiosque"
    # Whatever the environment's keys: the stand-in takes the demo's parameters (see
    # payments.subscription_schedule, the schedule of a monthly gift).
    settings.STRIPE_DEMO_MODE = True
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_kiosque"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = stripe_standin_server.url
    settings.STRIPE_JS_URL = f"{stripe_standin_server.url}/js.stripe.com/v3/"
    stripe_standin_server.wipe()
    return stripe_standin_server


@pytest.fixture
def association(db, settings, tmp_path):
    """The demo association (signature included): what receipts need, without the whole demo."""
    from donations.demo import demo_association
    from donations.selectors import get_association

    settings.MEDIA_ROOT = tmp_path / "media"
    demo_association()
    return get_association()


@pytest.fixture
def mail_dir(tmp_path):
    return tmp_path / "mail"


@pytest.fixture
def worker(mail_dir, tmp_path):
    """A real Celery worker process (see tests/support/worker.py)."""
    from tests.support.worker import running_worker

    with running_worker(mail_dir, tmp_path / "worker.log") as process:
        yield process
