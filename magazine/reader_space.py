"""The reader's space is the magazine's page, but other apps have something to show there
(donations: the tax receipts). They register a section from their ``ready()``; the page lists
the sections after its own, in registration order, so magazine never imports them."""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Section:
    template_name: str
    context: Callable  # (user) -> dict: what the template needs


_sections: list[Section] = []


def add_section(*, template_name: str, context: Callable) -> None:
    section = Section(template_name, context)
    if section not in _sections:  # ready() may run twice (tests, autoreload)
        _sections.append(section)


def sections_for(request) -> list[SafeString]:
    """The other apps' sections, rendered for the signed-in reader of ``request``."""
    return [
        render_to_string(section.template_name, section.context(request.user), request=request)
        for section in _sections
    ]
