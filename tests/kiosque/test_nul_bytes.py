"""A NUL byte in a URL's path or query string never reaches the database: PostgreSQL stores
none, so a lookup with one answered 500 (``/dashboard/receipts/%00/`` in CI). Every route
with a parameter, and every page's query string, as a superuser (who may open them all)."""

import re

import pytest
from django.test import Client

from tests.support.permission_matrix import url_patterns

PARAMETER = re.compile(r"<(?:\w+:)?\w+>")

pytestmark = pytest.mark.usefixtures("demo")


def routes_with_a_string_parameter() -> list[str]:
    return sorted(
        {
            pattern.route
            for pattern in url_patterns()
            if re.search(r"<(str|path|slug):\w+>", pattern.route) and "^" not in pattern.route
        }
    )


@pytest.fixture
def superuser(django_user_model):
    client = Client(raise_request_exception=False)
    client.force_login(
        django_user_model.objects.create_superuser("root", "root@example.org", "x-long-pass")
    )
    return client


def test_a_nul_byte_in_any_path_is_refused_never_a_500(superuser):
    routes = routes_with_a_string_parameter()
    assert len(routes) > 20  # the walk found the site's routes
    answers = {
        route: superuser.get("/" + PARAMETER.sub("a%00b", route)).status_code for route in routes
    }
    assert {route: code for route, code in answers.items() if code >= 500} == {}


@pytest.mark.parametrize("path", ["/", "/dashboard/receipts/", "/dashboard/treasury/", "/don/"])
def test_a_nul_byte_in_a_query_string_is_refused_in_french(superuser, path):
    for query in ("q=%00", "year=2026%00", "a%00=1"):
        response = superuser.get(f"{path}?{query}")
        assert response.status_code == 400, (path, query)
        assert "caractère interdit" in response.content.decode()
