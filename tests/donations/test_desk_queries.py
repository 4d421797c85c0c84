"""Hostile query strings and ids on the treasurer's desk and the staff dashboards: never a
500; a bad year is said in French and changes nothing."""

import pytest
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from donations.models import ReceiptArchive, TreasuryLog
from donations.services.receipts import issue_receipt
from tests.support.donations import make_donor, paid_donation

pytestmark = pytest.mark.usefixtures("association", "outbox_emails")

BAD_YEARS = ["0", "-5", "99999", "1" * 30, "1999", "abc", "2026.5", "1e3", "\u0663", "NaN"]
NAMESPACES = ("donations-dashboard", "magazine-dashboard")
# Every query-string (or form) parameter the desk's and the dashboards' views read.
PARAMETERS = (
    "year", "date_from", "date_to", "status", "kind", "donor", "amount_min", "amount_max",
    "page",
)  # fmt: skip
HOSTILE = [
    *BAD_YEARS, "", " ", "-1", "1e309", "1e999999", "9" * 40, "-0", "0x10", "∞", "Infinity",
    "2026-02-30", "9999-12-31", "0001-01-01", "31/12/2026", "last", "\x00", "<script>", "%",
    "9999999999.999", "12,5", "' OR 1=1 --", "é" * 300, "issued", "annual",
]  # fmt: skip
values = st.one_of(st.sampled_from(HOSTILE), st.integers().map(str), st.text(max_size=40))
ids = st.one_of(
    st.sampled_from(["0", "1", "9" * 30, "2147483648", "9223372036854775808"]),
    st.integers(min_value=0).map(str),
)
FUZZ = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def superuser_client(django_user_model):
    client = Client()
    client.force_login(
        django_user_model.objects.create_superuser("root", "root@example.org", "x-long-pass")
    )
    return client


def french_message(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


@pytest.mark.parametrize("year", BAD_YEARS)
def test_a_bad_year_on_the_desk_is_said_in_french(superuser_client, year):
    this_year = timezone.localdate().year
    page = superuser_client.get(
        reverse("donations-dashboard:treasury"), {"year": year}, follow=True
    )
    assert page.status_code == 200
    assert page.context["year"] == this_year  # the page shows this year instead
    assert "n&#x27;est pas valide" in page.content.decode()  # shown (escaped)

    export = superuser_client.get(
        reverse("donations-dashboard:donors-export"), {"year": year}, follow=True
    )
    assert export.redirect_chain[-1][0].startswith(reverse("donations-dashboard:treasury"))
    assert "n'est pas valide" in french_message(export)

    for name in ("annual", "archive-start"):  # nothing is run for a year nobody asked for
        done = superuser_client.post(
            reverse(f"donations-dashboard:{name}"), {"year": year}, follow=True
        )
        assert done.status_code == 200 and "n'est pas valide" in french_message(done)
    assert not ReceiptArchive.objects.exists()
    assert not TreasuryLog.objects.filter(action=TreasuryLog.Action.ANNUAL).exists()


@pytest.mark.parametrize("name", ["receipts", "donations"])
def test_bad_filters_on_the_lists_are_said_in_french(superuser_client, name):
    url = reverse(f"donations-dashboard:{name}")
    for params in (
        {"year": "1" * 30},
        {"year": "99999"},
        {"amount_min": "1e999999"},
        {"amount_max": "9" * 40},
        {"date_from": "0001-01-01", "date_to": "9999-12-31"},
        {"page": "9" * 30},
    ):
        response = superuser_client.get(url, params)
        assert response.status_code in (200, 400, 404), params
        if response.status_code == 200 and "page" not in params and "date_from" not in params:
            assert response.context["form"].errors, params
            assert "Assurez-vous" in response.content.decode(), params


def desk_patterns(resolver=None, prefix=""):
    """(name, pattern) of every URL of the desk and the staff dashboards."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from desk_patterns(entry, namespace)
        elif isinstance(entry, URLPattern) and prefix.rstrip(":") in NAMESPACES:
            yield f"{prefix}{entry.name}", entry


def test_the_fuzz_covers_the_desk():
    names = {name for name, _ in desk_patterns()}
    assert "donations-dashboard:treasury" in names and "magazine-dashboard:routing" in names
    assert len(names) >= 20


@pytest.fixture
def a_receipt(db):
    return issue_receipt([paid_donation(make_donor(), "80")])


@FUZZ
@given(data=st.data())
def test_no_hostile_query_string_answers_500(superuser_client, a_receipt, data):
    for name, pattern in desk_patterns():
        kwargs = {}
        for key, converter in pattern.pattern.converters.items():
            if type(converter).__name__ == "IntConverter":
                kwargs[key] = data.draw(ids, label=f"{name} {key}")
            elif key == "format":
                kwargs[key] = data.draw(st.sampled_from(["csv", "xlsx", "pdf", "exe", ""]))
            else:
                kwargs[key] = data.draw(
                    st.one_of(st.just(a_receipt.number), st.text(min_size=1, max_size=30)).filter(
                        lambda text: "/" not in text
                    ),
                    label=f"{name} {key}",
                )
        try:
            url = reverse(name, kwargs=kwargs)
        except NoReverseMatch:  # a value the URL cannot hold: no request to make
            continue
        params = data.draw(
            st.dictionaries(st.sampled_from(PARAMETERS), values, max_size=4), label=name
        )
        for method in ("get", "post"):
            response = getattr(superuser_client, method)(url, params)
            assert response.status_code < 500, (method, url, params)


def dashboard_urls(resolver=None, prefix=""):
    """Every URL of the staff dashboard (Oscar's and ours) that takes no argument."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from dashboard_urls(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            try:
                url = reverse(f"{prefix}{entry.name}")
            except NoReverseMatch:  # takes arguments: fuzzed above for the desk
                continue
            if url.startswith("/dashboard/"):
                yield url


@pytest.mark.parametrize("value", ["0", "-5", "abc", "9" * 30, "1.5", "\u0663"])
def test_a_bad_page_number_in_the_dashboard_is_said_in_french(superuser_client, value):
    urls = sorted(set(dashboard_urls()))
    assert "/dashboard/catalogue/" in urls and reverse("donations-dashboard:receipts") in urls
    for url in urls:
        response = superuser_client.get(url, {"page": value, "per_page": value})
        assert response.status_code == 400, url  # Oscar's lists answered 500
        assert "n'est pas valide" in response.content.decode(), url


def test_good_page_numbers_still_page(superuser_client):
    for url in ("/dashboard/catalogue/", reverse("donations-dashboard:receipts")):
        assert superuser_client.get(url, {"page": "1", "per_page": "20"}).status_code == 200
    assert superuser_client.get("/dashboard/users/", {"page": "last"}).status_code == 200
