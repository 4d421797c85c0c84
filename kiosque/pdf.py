"""PDFs by WeasyPrint from the project's templates: tax receipts, address labels.

WeasyPrint may fetch only data: URIs and the project's own static files: whatever a person
typed (a name with HTML or a URL in it) is escaped text, and even a reference that got
through would fetch nothing.
"""

from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher


def _static_roots() -> list[Path]:
    roots = [Path(root).resolve() for root in getattr(settings, "STATICFILES_DIRS", [])]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


class ProjectFilesOnly(URLFetcher):
    """A URL fetcher that refuses everything but data: URIs and the project's static files."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if any(path.is_relative_to(root) for root in _static_roots()):
                return super().fetch(url, headers)
        raise ValueError(f"PDFs may not load {url[:80]!r}")


def static_file_url(path: str) -> str:
    """A file:// URL for one of the project's static files, for a PDF template."""
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(path)
    return Path(found).resolve().as_uri()


def render_html(template: str, context: dict, *, stylesheet: str) -> str:
    """The HTML of a PDF: ``template`` with ``context`` plus its ``stylesheet`` URL."""
    return render_to_string(template, {**context, "stylesheet": static_file_url(stylesheet)})


@cache
def _fonts() -> FontConfiguration:
    """One font configuration for the process's PDFs. Left to itself, WeasyPrint makes one per
    document, and each keeps native memory (fontconfig, Pango) for good: about 0.25 MB a PDF,
    2.5 GB over a year's 10 000 receipts (bench/batch_memory.py). Our stylesheets declare no
    @font-face, so the documents have nothing of their own to put in it."""
    return FontConfiguration()


def html_to_pdf(html: str, **options) -> bytes:
    return HTML(
        string=html, base_url=str(settings.BASE_DIR), url_fetcher=ProjectFilesOnly()
    ).write_pdf(font_config=_fonts(), **options)


def render_pdf(template: str, context: dict, *, stylesheet: str, **options) -> bytes:
    """Render ``template`` with ``context`` (plus its ``stylesheet`` URL) to PDF bytes."""
    return html_to_pdf(render_html(template, context, stylesheet=stylesheet), **options)
