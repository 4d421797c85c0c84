"""The magazine's basket and order lines in words (registered with shop.line_words from
MagazineConfig.ready()): a gift subscription's recipient, a renewal's issues, and where a
reader finds what they bought (their PDF, their print issue, their first issue).

Option values come from the basket (magazine.services.add_to_basket) but are read here as
untrusted: anything but the expected shape reads as the option's name alone.
"""

import json

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from magazine import selectors
from magazine.catalogue import (
    DIGITAL_ISSUE,
    GIFT_OPTION,
    PRINT_ISSUE,
    SUBSCRIPTION_CLASSES,
)
from magazine.models import Issue, Subscription
from shop.line_words import NextStep, OptionWords

MAX_VALUE = 10_000  # characters of JSON: a gift's fields are at most ~2 000
MAX_ID = 2**31 - 1  # a renewal's id the database can look up


def _text(value, length: int = 120) -> str:
    """A field of the gift as one short line of text ("" if it is not text)."""
    if not isinstance(value, str):
        return ""
    return Truncator(" ".join(value.split())).chars(length)


def _gift(value) -> dict | None:
    if isinstance(value, str):
        if len(value) > MAX_VALUE:
            return None
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            return None
    return value if isinstance(value, dict) else None


def describe_gift(value, line) -> OptionWords | None:
    gift = _gift(value)
    if gift is None or not _text(gift.get("name")):
        return None
    name = _text(gift["name"])
    address = gift.get("address") if isinstance(gift.get("address"), dict) else {}
    city = _text(address.get("city"))
    email = _text(gift.get("email"))
    if city:
        summary = _("Gift subscription for %(name)s — %(city)s") % {"name": name, "city": city}
    else:
        summary = _("Gift subscription for %(name)s") % {"name": name}
    more = [_("Recipient: %(name)s, %(email)s") % {"name": name, "email": email or "—"}]
    street = ", ".join(
        part
        for part in (
            _text(address.get("line1")),
            _text(address.get("line2")),
            " ".join(p for p in (_text(address.get("postcode"), 20), city) if p),
            _text(address.get("country"), 2),
        )
        if part
    )
    if street:
        more.append(_("Address: %(address)s") % {"address": street})
    message = _text(gift.get("message"), 1000)
    if message:
        more.append(_("Message: « %(message)s »") % {"message": message})
    return OptionWords(summary, tuple(more))


def _renewed_id(value) -> int | None:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    try:
        number = int(str(value).strip()[:12])
    except ValueError:
        return None
    return number if 0 < number <= MAX_ID else None


def _term(line) -> int | None:
    product = line.product
    for candidate in (product, getattr(product, "parent", None)):
        term = getattr(getattr(candidate, "attr", None), "term_in_issues", None)
        if isinstance(term, int) and term > 0:
            return term
    return None


def _renewal_issues(line, renewed: Subscription) -> tuple[int, int] | None:
    """The issues the renewal brings: those of the subscription the order made, or, in the
    basket, those it will make (magazine.services: after the renewed one's last issue)."""
    if hasattr(line, "order_id"):
        made = Subscription.objects.filter(order_line=line).order_by("copy").first()
        if made is not None:
            return made.first_issue, made.last_issue
    term = _term(line)
    if term is None:
        return None
    first = max(selectors.next_issue_number(), renewed.last_issue + 1)
    return first, first + term - 1


def describe_renewal(value, line) -> OptionWords | None:
    is_gift = line.attributes.filter(option__code=GIFT_OPTION[0]).exists()
    pk = _renewed_id(value)
    renewed = Subscription.objects.filter(pk=pk).first() if pk else None
    if renewed is None:
        return OptionWords(
            _("Renewal of the subscription") if is_gift else _("Renewal of your subscription")
        )
    names = {"first": renewed.first_issue, "last": renewed.last_issue}
    if is_gift:
        summary = _("Renewal of the subscription n°%(first)s–n°%(last)s") % names  # noqa: RUF001 (an en dash between issue numbers)
    else:
        summary = _("Renewal of your subscription n°%(first)s–n°%(last)s") % names  # noqa: RUF001 (an en dash between issue numbers)
    issues = _renewal_issues(line, renewed)
    if issues is not None:
        summary = _("%(renewal)s: issues n°%(first)s to n°%(last)s") % {
            "renewal": summary,
            "first": issues[0],
            "last": issues[1],
        }
    return OptionWords(summary)


def _issue(product) -> Issue | None:
    for candidate in (product, getattr(product, "parent", None)):
        number = getattr(getattr(candidate, "attr", None), "issue_number", None)
        if isinstance(number, int):
            return Issue.objects.filter(number=number).first()
    return None


def next_step(line) -> NextStep | None:
    """Where the reader finds what ``line`` (an order line) bought."""
    product = line.product
    if product is None:
        return None
    slug = product.get_product_class().slug
    if slug in SUBSCRIPTION_CLASSES:
        subscription = Subscription.objects.filter(order_line=line).order_by("copy").first()
        if subscription is None:
            return None
        names = {"number": subscription.first_issue, "name": subscription.recipient_name}
        if subscription.is_gift:
            return NextStep(_("%(name)s's subscription starts with issue n°%(number)s.") % names)
        return NextStep(_("Your subscription starts with issue n°%(number)s.") % names)
    if slug not in (PRINT_ISSUE.slug, DIGITAL_ISSUE.slug):
        return None
    issue = _issue(product)
    if issue is None:
        return None
    date = date_format(issue.publication_date, "j F Y")
    if slug == PRINT_ISSUE.slug:
        if issue.is_published:
            return NextStep(_("Sent by post within a few days."))
        return NextStep(_("Sent by post when it comes out, around %(date)s.") % {"date": date})
    has_account = line.order.user_id is not None
    if not issue.is_published:
        return NextStep(
            _("The PDF comes out around %(date)s: we will email you its link.") % {"date": date},
            reverse("magazine:reader-space") if has_account else "",
        )
    if has_account:
        return NextStep(
            _("Your PDF is waiting in your reader's space."), reverse("magazine:reader-space")
        )
    return NextStep(_("The PDF's download link has been emailed to you."))
