"""Demonstration data, the magazine's part: its issues (covers and PDFs), the single issues
and subscriptions on sale (through shop/demo.py's helpers)."""

import datetime
import io
from decimal import Decimal
from pathlib import Path

from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.utils import timezone
from oscar.core.loading import get_model
from PIL import Image, ImageDraw, ImageFont

from magazine import catalogue, editions
from magazine.models import Issue
from shop import demo as shop_demo

StockRecord = get_model("partner", "StockRecord")

MAGAZINE = "L'Écho des lecteurs"
ISSUES = (
    (1, "Les médias indépendants", "#1d4e89"),
    (2, "La presse locale en question", "#7a2e00"),
    (3, "Lire en 2026", "#2e6b30"),
)
SUMMARIES = {
    1: "Éditorial — Pourquoi nous\nEnquête : qui possède la presse ?\n"
    "Portrait d'une radio associative",
    2: "Éditorial — Au plus près\nReportage : une semaine à la rédaction du Courrier du Sud\n"
    "Entretien avec une correspondante locale",
    3: "Éditorial — Lire encore\nDossier : la lecture en 2026\nCarnet : nos lecteurs écrivent",
}
PRINT_PRICE = Decimal("9.50")
PDF_PRICE = Decimal("6.00")
PRINT_STOCK = 200
SUBSCRIPTIONS = (
    # (UPC, title, product class, price)
    (
        "ABO-1AN-PAPIER",
        "Abonnement 1 an — papier (4 numéros)",
        catalogue.PRINT_SUBSCRIPTION,
        Decimal("34.00"),
    ),
    (
        "ABO-1AN-NUMERIQUE",
        "Abonnement 1 an — numérique (4 numéros)",
        catalogue.DIGITAL_SUBSCRIPTION,
        Decimal("22.00"),
    ),
    (
        "ABO-1AN-PAPIER-NUMERIQUE",
        "Abonnement 1 an — papier + numérique (4 numéros)",
        catalogue.PRINT_AND_DIGITAL_SUBSCRIPTION,
        Decimal("40.00"),
    ),
)
SUBSCRIPTION_TERM = 4
NEXT_ISSUE_THEME = "Les lecteurs font le journal"


def seed() -> None:
    catalogue.ensure_product_classes(django_apps)
    partner = shop_demo.partner(code="kiosque", name=MAGAZINE)
    subscriptions_category = shop_demo.category("Abonnements")
    for number, theme, colour in ISSUES:
        issue = _issue(number, theme, _cover_png(number, theme, colour), published=True)
        parent = editions.put_issue_on_sale(
            issue=issue,
            print_price=PRINT_PRICE,
            pdf_price=PDF_PRICE,
            print_stock=PRINT_STOCK,
            description=(
                f"<p>Le numéro {number} de {MAGAZINE} : {theme.lower()}. En papier, envoyé "
                "par La Poste, ou en PDF, à télécharger dans votre espace lecteur.</p>"
            ),
            magazine=MAGAZINE,
            partner=partner,
        )
        # Back to the demo's initial state: no copy set aside for an order.
        StockRecord.objects.filter(product__parent=parent, num_allocated__isnull=False).update(
            num_allocated=0
        )
    # The next issue, in preparation: new subscriptions start with it.
    next_number = len(ISSUES) + 1
    _issue(next_number, NEXT_ISSUE_THEME, None, published=False)
    for upc, title, spec, price in SUBSCRIPTIONS:
        shop_demo.product(
            upc=upc,
            title=title,
            product_class_slug=spec.slug,
            price=price,
            partner=partner,
            category=subscriptions_category,
            attributes={"term_in_issues": SUBSCRIPTION_TERM},
            num_in_stock=None,
            image=_cover_png(None, title, "#4b2a6b"),
            description=f"{SUBSCRIPTION_TERM} numéros de {MAGAZINE}, à partir du prochain numéro.",
        )


def _issue(number: int, theme: str, cover: bytes | None, *, published: bool) -> Issue:
    today = timezone.localdate()
    issue, _ = Issue.objects.update_or_create(
        number=number,
        defaults={
            "title": theme,
            "summary": SUMMARIES.get(number, ""),
            "publication_date": today + datetime.timedelta(days=91 * (number - len(ISSUES))),
        },
    )
    if cover and not issue.cover:
        issue.cover.save(f"numero-{number}.png", ContentFile(cover), save=False)
    if not issue.pdf:
        issue.pdf.save(f"numero-{number}.pdf", ContentFile(_issue_pdf(number, theme)), save=False)
    issue.status = Issue.Status.PUBLISHED if published else Issue.Status.PLANNED
    issue.published_at = timezone.now() if published else None
    issue.save()
    return issue


def _issue_pdf(number: int, theme: str) -> bytes:
    from weasyprint import HTML

    html = (
        f"<h1>{MAGAZINE}</h1><h2>n°{number} — {theme}</h2>"
        "<p>Numéro de démonstration de Kiosque.</p>"
    )
    return HTML(string=html).write_pdf()


# DejaVu Serif Bold (free licence, magazine/fonts/DejaVu-LICENSE.txt): it has the French
# letters and the dash the covers need (É, é, —), which Pillow's default font lacks.
COVER_FONT = Path(__file__).resolve().parent / "fonts" / "DejaVuSerif-Bold.ttf"


def _font(size: int):
    return ImageFont.truetype(str(COVER_FONT), size=size)


def _cover_png(number: int | None, title: str, colour: str) -> bytes:
    """A plain generated cover: the magazine's name, the issue number and its theme."""
    image = Image.new("RGB", (600, 800), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((30, 30, 570, 770), outline="white", width=4)
    draw.text((60, 70), MAGAZINE, fill="white", font=_font(44))
    if number is not None:
        draw.text((60, 300), f"n°{number}", fill="white", font=_font(140))
    font = _font(38)
    lines, line = [], ""
    for word in title.split():  # wrapped to the frame's width, as drawn
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=font) > 470:
            lines.append(line)
            candidate = word
        line = candidate
    lines.append(line)
    for index, text in enumerate(lines):
        draw.text((60, 520 + index * 50), text, fill="white", font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
