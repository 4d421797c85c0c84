"""Plain-text templates (every email's ``.txt`` body and subject, ours and Oscar's) are
rendered without HTML escaping (kiosque.template_engine): a plain-text email read
``L&#x27;Écho`` for "L'Écho". The ``.html`` ones stay escaped."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import oscar
import pytest
from django.conf import settings
from django.template.loader import get_template, render_to_string

HOSTILE = 'L\'Écho & <Cie> "Presse"'
# Names whose value is a number (an amount, a count): everything else is HOSTILE text.
NUMBERS = {
    "amount": Decimal("12.50"),
    "total": Decimal("12.50"),
    "days": 3,
    "count": 2,
    "paid_at": datetime.datetime(2026, 11, 29, 12, tzinfo=datetime.UTC),
    "due_on": datetime.date(2026, 12, 7),
    "expected_on": datetime.date(2026, 12, 7),
    "failed_payments": 2,
    "tries_left": 1,
}
# Read with real objects by their own tests (their tags call Python code on an order).
WITH_A_REAL_ORDER = {"oscar/communication/emails/commtype_order_placed_body.txt"}
ESCAPES = ("&#x27;", "&amp;", "&lt;", "&gt;", "&quot;", "&#39;")


class Anything(str):
    """A value that answers every lookup (``order.number``, ``user.email``) with itself."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return NUMBERS.get(name, Anything(self))

    def __getitem__(self, key):
        return NUMBERS.get(key, Anything(self))

    def __iter__(self):
        yield Anything(self)


def plain_text_templates() -> list[str]:
    names = []
    for root in (Path(settings.BASE_DIR) / "templates", Path(oscar.__file__).parent / "templates"):
        for path in sorted(root.rglob("*.txt")):
            names.append(str(path.relative_to(root)))
    return sorted(set(names))


def top_level_names(source: str) -> set[str]:
    """The names a template reads from its context: ``{{ name...``, ``with x=name``..."""
    found = set(re.findall(r"{{\s*(\w+)", source))
    found |= set(re.findall(r"=\s*(\w+)[\s.|%]", source))
    found |= set(re.findall(r"{%\s*(?:if|for \w+ in|url \S+)\s+(\w+)", source))
    return {name for name in found if not name.isdigit()}


TEMPLATES = [name for name in plain_text_templates() if "email" in name]
TESTED_HERE = [name for name in TEMPLATES if name not in WITH_A_REAL_ORDER]


def test_the_class_covers_our_emails_and_oscar_s():
    assert "oscar/communication/emails/commtype_order_placed_body.txt" in TEMPLATES
    assert "donations/emails/thanks.txt" in TEMPLATES
    assert "magazine/emails/gift_subscription_subject.txt" in TEMPLATES


@pytest.mark.parametrize("name", TESTED_HERE)
def test_a_plain_text_email_is_not_html_escaped(name, db):
    template = get_template(name)
    source = template.template.source
    context = {key: NUMBERS.get(key, Anything(HOSTILE)) for key in top_level_names(source)}

    text = template.render(context)

    assert not [escape for escape in ESCAPES if escape in text], text
    if context and "{{" in source:
        assert HOSTILE in text, f"{name} shows none of {sorted(context)}"


def test_html_stays_escaped_and_txt_does_not(tmp_path, settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    (tmp_path / "probe.txt").write_text("{{ value }}")
    (tmp_path / "probe.html").write_text("{{ value }}")
    assert render_to_string("probe.txt", {"value": HOSTILE}) == HOSTILE
    assert render_to_string("probe.html", {"value": HOSTILE}) == (
        "L&#x27;Écho &amp; &lt;Cie&gt; &quot;Presse&quot;"
    )
