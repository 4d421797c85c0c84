"""How a basket or order line reads for people: its title, its options in words and, once
ordered, where to find what was bought.

Oscar prints a line's options as ``name = 'value'`` (a gift subscription's raw JSON). The app
that defines an option (magazine: gift, renewal) says how it reads through ``describe_option``
and what follows an order through ``add_next_step``, from its ``ready()``: shop never imports
it. Every page and email shows lines through ``words_for`` (template tag ``line_words``).

The words are plain text, never marked safe: templates escape them, so an option's value
cannot bring HTML into a page. A describer that fails (a malformed or forged value) leaves
the option's name alone.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class OptionWords:
    """``summary``: what every page says ("Abonnement offert à Jean Ami — Nantes");
    ``more``: what staff also need (the recipient's email, address, message)."""

    summary: str
    more: tuple[str, ...] = ()


@dataclass(frozen=True)
class NextStep:
    """Where to find what an order line bought ("Votre PDF vous attend…"), with a link."""

    text: str
    url: str = ""


@dataclass(frozen=True)
class LineWords:
    title: str
    details: tuple[str, ...] = ()
    more: tuple[str, ...] = ()
    next_step: NextStep | None = None

    def __str__(self):
        """The line on one line of plain text (emails, lists)."""
        if not self.details:
            return self.title
        return f"{self.title} ({'; '.join(self.details)})"


OptionDescriber = Callable[[object, object], OptionWords | None]  # (value, line)
NextStepFinder = Callable[[object], NextStep | None]  # (order line)

_describers: dict[str, OptionDescriber] = {}
_next_steps: list[NextStepFinder] = []


def describe_option(code: str, describer: OptionDescriber) -> None:
    """Say how option ``code`` reads: ``describer(value, line)`` returns OptionWords, or None
    to show only the option's name."""
    _describers[code] = describer


def add_next_step(finder: NextStepFinder) -> None:
    """``finder(order_line)`` says where to find what the line bought, or None if not its own."""
    if finder not in _next_steps:  # ready() may run twice (tests, autoreload)
        _next_steps.append(finder)


def _title(line) -> str:
    if hasattr(line, "order_id"):  # an order line keeps the title it was sold under
        return line.title
    product = line.product
    return product.get_title() if product is not None else ""


def _option_of(attribute) -> tuple[str, str]:
    """(code, name) of a basket or order line attribute's option (an order line keeps the
    name even when the option was deleted since)."""
    option = attribute.option
    if option is not None:
        return option.code, option.name
    return "", getattr(attribute, "type", "")


def _describe(attribute, line) -> OptionWords:
    code, name = _option_of(attribute)
    describer = _describers.get(code)
    if describer is not None:
        try:
            words = describer(attribute.value, line)
        except Exception:  # a forged or malformed value must not break the page
            logger.warning("Option %r of line %s could not be described", code, line.pk)
            words = None
        if words is not None:
            return words
        return OptionWords(name)
    value = attribute.value
    if isinstance(value, str | int) and len(str(value)) <= 80:
        return OptionWords(f"{name} : {value}")
    return OptionWords(name)


def _next_step(line) -> NextStep | None:
    for finder in _next_steps:
        try:
            step = finder(line)
        except Exception:
            logger.exception("Next step of order line %s", line.pk)
            continue
        if step is not None:
            return step
    return None


def words_for(line, *, next_step: bool = False, absolute: bool = False) -> LineWords:
    """How ``line`` (a basket or an order line) reads. ``next_step``: with where to find what
    an order line bought; ``absolute``: its link with the site's address (emails)."""
    options = [_describe(attribute, line) for attribute in line.attributes.all()]
    step = _next_step(line) if next_step and hasattr(line, "order_id") else None
    if step is not None and absolute and step.url.startswith("/"):
        step = NextStep(step.text, f"{settings.SITE_URL}{step.url}")
    return LineWords(
        title=_title(line),
        details=tuple(words.summary for words in options),
        more=tuple(text for words in options for text in words.more),
        next_step=step,
    )
