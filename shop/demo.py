"""Demonstration data: the association, the magazine's issues and subscriptions, two staff accounts.

Every step looks things up by a stable key (UPC, email, slug) and brings them to the values
below, so running it again changes nothing.
"""

import datetime
import io
import math
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model
from PIL import Image, ImageDraw, ImageFont

from accounts import services as accounts_services
from donations.models import Association, Donation, Donor, MonthlyGift
from donations.services.receipts import issue_receipt
from kiosque.access import TREASURER_GROUP
from kiosque.sites import sync_current_site
from magazine import catalogue
from magazine.models import Issue
from shop.services import ensure_countries

Category = get_model("catalogue", "Category")
Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductClass = get_model("catalogue", "ProductClass")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")

MAGAZINE = "L'Écho des lecteurs"
TEAM_GROUP = "Équipe"
# Oscar's dashboard checks model permissions (e.g. order.view_order), not only is_staff.
# Donor data, receipts and the outbox are the treasury's (TREASURY_MODELS), never the team's.
TEAM_APPS = (
    "order", "catalogue", "partner", "offer", "voucher", "payment", "shipping",
    "communication", "flatpages", "reviews", "wishlists", "kiosque_shop",
)  # fmt: skip
# What the treasury group reads in the admin beyond what its migration granted.
TREASURY_MODELS = (("kiosque", "outboxemail"), ("payments", "stripeevent"))
# Copies of the emails sent to accounts (password-reset links among them) and the templates
# that write them: nobody's but the superusers' (shop.admin).
NOBODY_S_MODELS = (("communication", "email"), ("communication", "communicationeventtype"))


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    first_name: str
    last_name: str
    groups: tuple[str, ...] = ()


# The README gives these; they exist only in the demo.
TREASURER = DemoAccount(
    "tresorier@kiosque.example",
    "demo-tresorier",
    "Claire",
    "Martin",
    (TEAM_GROUP, TREASURER_GROUP),
)
STAFF = DemoAccount("equipe@kiosque.example", "demo-equipe", "Paul", "Durand", (TEAM_GROUP,))

ISSUES = (
    (1, "Les médias indépendants", "#1d4e89"),
    (2, "La presse locale en question", "#7a2e00"),
    (3, "Lire en 2026", "#2e6b30"),
)
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


@transaction.atomic
def load_demo() -> None:
    _site()
    ensure_countries()
    catalogue.ensure_product_classes(django_apps)
    demo_association()
    partner, _ = Partner.objects.update_or_create(code="kiosque", defaults={"name": MAGAZINE})
    issues_category = _category("Numéros")
    subscriptions_category = _category("Abonnements")
    for number, theme, colour in ISSUES:
        cover = _cover_png(number, theme, colour)
        _product(
            upc=f"ECHO-{number:03d}-P",
            title=f"{MAGAZINE} n°{number} — {theme} (papier)",
            spec=catalogue.PRINT_ISSUE,
            price=PRINT_PRICE,
            partner=partner,
            category=issues_category,
            attributes={"issue_number": number},
            num_in_stock=PRINT_STOCK,
            cover=cover,
            description=f"Le numéro {number} de {MAGAZINE}, imprimé et envoyé par La Poste.",
        )
        _product(
            upc=f"ECHO-{number:03d}-N",
            title=f"{MAGAZINE} n°{number} — {theme} (PDF)",
            spec=catalogue.DIGITAL_ISSUE,
            price=PDF_PRICE,
            partner=partner,
            category=issues_category,
            attributes={"issue_number": number},
            num_in_stock=None,
            cover=cover,
            description=(
                f"Le numéro {number} de {MAGAZINE} en PDF, à télécharger dans votre espace."
            ),
        )
        _issue(number, theme, cover, published=True)
    # The next issue, in preparation: new subscriptions start with it.
    next_number = len(ISSUES) + 1
    _issue(next_number, NEXT_ISSUE_THEME, None, published=False)
    for upc, title, spec, price in SUBSCRIPTIONS:
        _product(
            upc=upc,
            title=title,
            spec=spec,
            price=price,
            partner=partner,
            category=subscriptions_category,
            attributes={"term_in_issues": SUBSCRIPTION_TERM},
            num_in_stock=None,
            cover=_cover_png(None, title, "#4b2a6b"),
            description=f"{SUBSCRIPTION_TERM} numéros de {MAGAZINE}, à partir du prochain numéro.",
        )
    _gifts()
    _team_group()
    for account in (TREASURER, STAFF):
        _staff_account(account)


def _issue(number: int, theme: str, cover: bytes | None, *, published: bool) -> None:
    today = timezone.localdate()
    issue, _ = Issue.objects.update_or_create(
        number=number,
        defaults={
            "title": theme,
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


def _issue_pdf(number: int, theme: str) -> bytes:
    from weasyprint import HTML

    html = (
        f"<h1>{MAGAZINE}</h1><h2>n°{number} — {theme}</h2>"
        "<p>Numéro de démonstration de Kiosque.</p>"
    )
    return HTML(string=html).write_pdf()


# Demo donors: (first name, last name, city, postcode, one-off amounts, monthly amount or None)
DONORS = (
    ("Marie", "Curie", "Paris", "75005", (50, 100), 10),
    ("Victor", "Hugo", "Paris", "75004", (200,), None),
    ("Olympe", "de Gouges", "Montauban", "82000", (30, 20), 15),
    ("Jean", "Jaurès", "Castres", "81100", (80,), None),
    ("Louise", "Michel", "Lyon", "69001", (25, 25, 40), 5),
    ("Albert", "Londres", "Vichy", "03200", (150,), None),
)


def _gifts() -> None:
    """A year of gifts for the treasurer's desk: last year's and this year's, receipted.

    Made once (receipts are never deleted, so a second load leaves them as they are).
    """
    if Donation.objects.exists():
        return
    today = timezone.localdate()
    for index, (first, last, city, postcode, one_offs, monthly) in enumerate(DONORS):
        donor = Donor.objects.create(
            email=f"{first.lower()}.{last.lower().replace(' ', '')}@exemple.org",
            first_name=first,
            last_name=last,
            line1=f"{index + 3} rue de la République",
            postcode=postcode,
            city=city,
            country="France",
        )
        for year in (today.year - 1, today.year):
            last_month = 12 if year < today.year else today.month
            for number, amount in enumerate(one_offs):
                month = min(1 + (index * 2 + number * 5) % 12, last_month)
                _demo_donation(donor, amount, year, month, receipt=year == today.year)
            if monthly:
                gift = MonthlyGift.objects.create(
                    donor=donor,
                    amount=monthly,
                    status=MonthlyGift.Status.ACTIVE,
                    started_at=_aware(today.year - 1, 1, 5),
                )
                for month in range(1, last_month + 1):
                    _demo_donation(
                        donor, monthly, year, month, gift=gift, receipt=year == today.year
                    )


def _aware(year: int, month: int, day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 10))


def _demo_donation(donor, amount, year, month, *, gift=None, receipt: bool) -> None:
    donation = Donation.objects.create(
        donor=donor,
        monthly_gift=gift,
        amount=Decimal(amount),
        status=Donation.Status.PAID,
        paid_at=_aware(year, month, 5),
        payment_intent_id=f"pi_demo_{donor.pk}_{year}_{month}_{amount}_{bool(gift)}",
    )
    if receipt:
        issue_receipt([donation])


def _site() -> None:
    sync_current_site()


def demo_association() -> None:
    """The demonstration association, signature included (also used by the tests)."""
    association = Association.objects.filter(pk=1).first() or Association()
    association.name = f"Les Amis de {MAGAZINE}"
    association.line1 = "12 rue des Imprimeurs"
    association.line2 = ""
    association.postcode = "69002"
    association.city = "Lyon"
    association.country = "France"
    association.siren = "123456789"
    association.rna = "W691234567"
    association.purpose = (
        f"Éditer et diffuser le magazine {MAGAZINE}, favoriser le pluralisme de la presse "
        "et l'éducation aux médias."
    )
    association.qualification = Association.Qualification.GENERAL_INTEREST
    association.qualification_detail = ""
    # Receipts with every monthly payment, so that the demo shows them at once; the
    # treasurer may choose January's summary receipt instead (dashboard, Association).
    association.monthly_receipts = Association.MonthlyReceipts.PER_PAYMENT
    association.signatory_name = "Hélène Roux"
    association.signatory_role = "Trésorière"
    association.email = "contact@kiosque.example"
    if not association.signature:
        association.signature.save("signature.png", ContentFile(_signature_png()), save=False)
    association.full_clean()
    association.save()


def _category(name: str):
    category = Category.objects.filter(name=name, depth=1).first()
    if category is None:
        category = Category.add_root(name=name, is_public=True)
    return category


def _product(
    *, upc, title, spec, price, partner, category, attributes, num_in_stock, cover, description
):
    product_class = ProductClass.objects.get(slug=spec.slug)
    product, _ = Product.objects.update_or_create(
        upc=upc,
        defaults={
            "title": title,
            "product_class": product_class,
            "structure": Product.STANDALONE,
            "description": description,
            "is_public": True,
        },
    )
    for code, value in attributes.items():
        setattr(product.attr, code, value)
    product.attr.save()
    ProductCategory.objects.get_or_create(product=product, category=category)
    StockRecord.objects.update_or_create(
        product=product,
        partner=partner,
        defaults={
            "partner_sku": upc,
            "price_currency": "EUR",
            "price": price,
            "num_in_stock": num_in_stock,
            "num_allocated": 0 if num_in_stock is not None else None,
        },
    )
    if not product.images.exists():
        image = ProductImage(product=product, display_order=0, caption=title)
        image.original.save(f"{upc.lower()}.png", ContentFile(cover), save=False)
        image.save()
    return product


def _team_group() -> None:
    group, _ = Group.objects.get_or_create(name=TEAM_GROUP)
    permissions = Permission.objects.filter(content_type__app_label__in=TEAM_APPS)
    for app_label, model in TREASURY_MODELS + NOBODY_S_MODELS:
        permissions = permissions.exclude(
            content_type__app_label=app_label, content_type__model=model
        )
    group.permissions.set(
        permissions
        | Permission.objects.filter(content_type__app_label="auth", codename="view_user")
    )
    treasury, _ = Group.objects.get_or_create(name=TREASURER_GROUP)
    for app_label, model in TREASURY_MODELS:
        treasury.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label,
                content_type__model=model,
                codename__startswith="view_",
            )
        )


def _staff_account(account: DemoAccount) -> None:
    User = get_user_model()
    user = User.objects.filter(email=account.email).first() or User(
        username=account.email, email=account.email
    )
    user.first_name = account.first_name
    user.last_name = account.last_name
    user.is_staff = True
    user.is_active = True
    if not user.has_usable_password() or not user.check_password(account.password):
        user.set_password(account.password)
    user.save()
    # The demo's accounts count as having followed their confirmation link.
    accounts_services.confirm_email(user=user, email=user.email)
    for name in account.groups:
        group, _ = Group.objects.get_or_create(name=name)
        user.groups.add(group)


def _font(size: int):
    return ImageFont.load_default(size=size)


def _cover_png(number: int | None, title: str, colour: str) -> bytes:
    """A plain generated cover: the magazine's name, the issue number and its theme."""
    image = Image.new("RGB", (600, 800), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((30, 30, 570, 770), outline="white", width=4)
    draw.text((60, 70), MAGAZINE, fill="white", font=_font(44))
    if number is not None:
        draw.text((60, 300), f"n°{number}", fill="white", font=_font(140))
    words, lines, line = title.split(), [], ""
    for word in words:
        if len(line) + len(word) > 22:
            lines.append(line)
            line = ""
        line = f"{line} {word}".strip()
    lines.append(line)
    for index, text in enumerate(lines):
        draw.text((60, 520 + index * 50), text, fill="white", font=_font(38))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _signature_png() -> bytes:
    image = Image.new("RGBA", (400, 120), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    points = [(20 + x, 60 + 30 * math.sin(x / 18) * math.cos(x / 53)) for x in range(0, 360, 3)]
    draw.line(points, fill=(20, 30, 90, 255), width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
