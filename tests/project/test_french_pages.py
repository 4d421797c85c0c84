"""No English in French pages: the main pages (those the browser journeys visit, and their
neighbours), as an anonymous visitor, a signed-in reader and the treasurer see them, read as
a person or a screen reader reads them (text, title, alt, aria-label, placeholder, the
buttons' values), hold none of the ENGLISH words below.

To extend: add a page to ANONYMOUS_PAGES, READER_PAGES, TREASURER_PAGES or TEAM_PAGES (a
path, or a "{placeholder}" of ``demo_objects``), or an English word or phrase to ENGLISH (a
French typo to FRENCH_TYPOS). A finding says
page, word and the text around it; translate it in our catalogue (locale/fr) if the msgid is
ours, in the corrections of Oscar's (locale_oscar/fr) if it is Oscar's (README,
"Translations")."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from haystack import connections
from oscar.core.loading import get_model

from accounts import services as accounts_services
from tests.support.magazine import PRINT_AND_DIGITAL, place_order

Product = get_model("catalogue", "Product")
Basket = get_model("basket", "Basket")

# English that must not be read in a French page (whole words, case as written; a phrase
# matches across spaces and line breaks). Words French shares with English (Total, Date,
# Description, Options, Notes, Email, Stock...) cannot be here.
ENGLISH = [
    "Basket", "basket", "Checkout", "checkout", "Toggle", "Dropdown", "Forbidden",
    "Sign in", "Sign out", "Log in", "Login", "Logout", "Log out", "Register", "Pending",
    "Issue number", "Term (issues)", "We have", "Subscribe", "Search", "search", "Welcome",
    "Your", "your", "Please", "Thank you", "Thanks", "Password", "Address", "address",
    "Order", "Orders", "order", "Shipping", "shipping", "Price", "Quantity", "Continue",
    "Submit", "Cancel", "Delete", "Edit", "Update", "Remove", "Add to", "View", "Previous",
    "Next", "Showing", "results", "available", "In stock", "Out of stock", "Reviews",
    "Wish list", "Account", "account", "Profile", "Home", "Details", "Status", "Name",
    "Number", "Title", "Summary", "Payment", "payment", "Donate", "Receipt",
    "Receipts", "Download", "Issue", "Issues", "Subscription", "None",
    "True", "False", "Yes", "Dashboard", "Reports", "Customers", "Catalogue management",
    "Products", "Content", "Settings", "Choose", "Select", "Close", "Save", "Change",
    "required", "optional", "Loading", "Error", "Warning", "Success", "Required",
    "selected", "Select all", "Clear selection", "Click here",
    # English sentences the words above miss.
    "The", "the", "and", "with", "from", "This", "this", "below",
]  # fmt: skip

ANONYMOUS_PAGES = [
    "/",
    "/catalogue/",
    "{print_issue}",
    "{pdf_issue}",
    "{subscription}",
    "{gift}",
    "/basket/",
    "/accounts/login/",
    "/password-reset/",
    "/don/",
    "/lettre/",
    "/search/?q=presse",
    "/une-page-qui-n-existe-pas/",  # the 404 page
    "/don/recus/forged:token/",  # a forged link: refused (403)
    "{monthly_sepa}",  # a monthly gift's page: paid by SEPA direct debit, paused
    "{monthly_card}",  # by card: its forms
    "{monthly_lapsed}",  # its latest payment refused
    "/don/mensuel/forged:token/",
    "/mon-espace/",  # to the login page
]
# With a print issue and a subscription in the basket, an order placed, a confirmation not
# yet followed (the notice shows).
READER_PAGES = [
    "/",
    "/basket/",
    "/mon-espace/",
    "/accounts/profile/",
    "/accounts/profile/edit/",
    "/accounts/change-password/",
    "/accounts/orders/",
    "/accounts/orders/{order}/",
    "/accounts/addresses/",
    "/accounts/addresses/add/",
    "/accounts/emails/",
    "/accounts/dons/",
    "/checkout/",
    "/checkout/shipping-address/",
    "/checkout/thank-you/",
    "/accounts/login/",  # refused once signed in (403)
    "/accounts/email/confirmer/forged/",  # refused (403)
    "/dashboard/",  # refused: not staff
]
TREASURER_PAGES = [
    "/dashboard/",
    "/dashboard/treasury/",
    "/dashboard/treasury/log/",
    "/dashboard/treasury/donations/",
    "/dashboard/treasury/donations/?status=failed",
    "/dashboard/treasury/monthly-gifts/",
    "/dashboard/receipts/",
    "/dashboard/receipts/{receipt}/",
    "/dashboard/association/",
    "/dashboard/magazine/issues/",
    "/dashboard/magazine/issues/1/",
    "/dashboard/magazine/issues/1/routing/",
    "/dashboard/orders/",
    "/dashboard/orders/{order}/",
    "/dashboard/catalogue/",
    "/dashboard/catalogue/products/{print_issue_pk}/",
    "/dashboard/users/",
    "/dashboard/comms/",
    "/dashboard/reports/",
]
# The team (staff, not the treasury): the treasury's pages are refused (403).
TEAM_PAGES = ["/dashboard/", "/dashboard/treasury/", "/dashboard/receipts/"]

# French typography and Oscar's French typos (corrected in locale_oscar/fr).
FRENCH_TYPOS = [
    "réference", "Contenus de la commande", "Historique commande", "Carnet d'adresse",
    "Coûts moyens de commande", "évèvement", "disponible(s)", "Prix:", "Total:", "Ordre #",
    "Actuellement:", "Changer:",
]  # fmt: skip


def whole(phrase: str) -> str:
    """``phrase`` as a pattern: any spaces between its words, not inside a longer word."""
    pattern = r"\s+".join(map(re.escape, phrase.split()))
    before = r"(?<![\w-])" if re.match(r"\w", phrase) else ""
    after = r"(?![\w-])" if re.search(r"\w$", phrase) else ""
    return before + pattern + after


ENGLISH_RE = re.compile("|".join(map(whole, ENGLISH + FRENCH_TYPOS)))
# French puts a (non-breaking) space before a colon: "Prix : 9,50 €". Checked in the readers'
# pages; the dashboard still has Oscar's template colons ("Actions groupées:").
GLUED_COLON = r"(?<=[^\W\d_]):(?=\s|$)"
READER_RE = re.compile(f"{ENGLISH_RE.pattern}|{GLUED_COLON}")
READ_ATTRIBUTES = {"title", "alt", "aria-label", "placeholder"}
NOT_READ = {"script", "style", "template"}
BUTTONS = ("submit", "button", "reset")  # an <input> of these types shows its value


class ReadText(HTMLParser):
    """What a reader (or a screen reader) reads: the text outside scripts and styles, and
    the attributes read aloud or shown."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            shown_value = name == "value" and tag == "input" and attrs.get("type") in BUTTONS
            if value and (name in READ_ATTRIBUTES or shown_value):
                self.pieces.append(value)
        if tag in NOT_READ:
            self.skipping += 1

    def handle_endtag(self, tag):
        if tag in NOT_READ and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.pieces.append(data)


def read_text(html: str) -> str:
    parser = ReadText()
    parser.feed(html)
    parser.close()
    return " | ".join(" ".join(piece.split()) for piece in parser.pieces)


def english_in(url: str, html: str, *, staff: bool = False) -> list[str]:
    """One line per English word (or typo) found in the page: where, what, and the text
    around it."""
    text = read_text(html)
    found = {}
    for match in (ENGLISH_RE if staff else READER_RE).finditer(text):
        context = text[max(0, match.start() - 50) : match.end() + 50]
        found.setdefault(f"{url}: {match[0]!r} in …{context}…", None)
    return list(found)


def crawl(client, pages, objects, *, staff: bool = False) -> list[str]:
    """The English found in ``pages`` (following redirects: the page one lands on)."""
    findings = []
    for page in pages:
        url = page.format(**objects)
        response = client.get(url, follow=True)
        assert response.status_code in (200, 403, 404), f"{url}: {response.status_code}"
        if "html" in response.get("Content-Type", ""):
            findings += english_in(url, response.content.decode(), staff=staff)
    return findings


@pytest.fixture(scope="module")
def demo_objects(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module (rolled back at its end), and the objects the
    pages need: a reader with an order and a basket."""
    index = connections["default"].get_backend()
    with django_db_blocker.unblock(), transaction.atomic():
        index.clear()
        call_command("load_demo", stdout=None)
        reader = get_user_model().objects.create_user(
            "lecteur", "lecteur@example.org", "un-mot-de-passe-long"
        )
        order = place_order(PRINT_AND_DIGITAL, "ECHO-002-N", user=reader)
        products = {upc: Product.objects.get(upc=upc) for upc in ("ECHO-001-P", "ECHO-001-N")}
        subscription = Product.objects.get(upc=PRINT_AND_DIGITAL)
        from donations.models import Receipt

        yield {
            **monthly_gift_pages(),
            "reader": reader,
            "order_obj": order,
            "order": order.number,
            "print_issue": products["ECHO-001-P"].get_absolute_url(),
            "print_issue_pk": products["ECHO-001-P"].pk,
            "pdf_issue": products["ECHO-001-N"].get_absolute_url(),
            "subscription": subscription.get_absolute_url(),
            "gift": f"/abonnements/{subscription.pk}/offrir/",
            "receipt": Receipt.objects.filter(status="issued").first().number,
        }
        transaction.set_rollback(True)
        index.clear()


def monthly_gift_pages() -> dict:
    """Monthly gifts' pages (signed links): paused, by SEPA direct debit; running, by card
    (its forms); its latest payment refused. Their subscriptions are none of the stand-in's:
    the page does without the next debit's date."""
    import datetime

    from django.utils import timezone

    from donations import links
    from donations.models import Mandate, MonthlyGift

    sepa, card, lapsed = MonthlyGift.objects.filter(status=MonthlyGift.Status.ACTIVE)[:3]
    sepa.mandate = Mandate.objects.create(
        donor=sepa.donor,
        reference="KIOSQUE-0001",
        signed_at=timezone.now(),
        account_holder="Marie Curie",
        account_label="FR•• •••• •••• 2606",
        stripe_payment_method_id="pm_x",
    )
    sepa.method = "direct_debit"
    sepa.paused_until = timezone.localdate() + datetime.timedelta(days=40)
    lapsed.lapsed_at = timezone.now()
    for gift in (sepa, card, lapsed):
        gift.payment_label = gift.payment_label or "Visa •••• 4242"
        gift.stripe_subscription_id = f"sub_crawl_{gift.pk}"
        gift.save()
    site = len("http://127.0.0.1:8000")
    return {
        name: links.manage_url(gift)[site:]
        for name, gift in zip(
            ("monthly_sepa", "monthly_card", "monthly_lapsed"), (sepa, card, lapsed), strict=True
        )
    }


def report(findings) -> str:
    return f"{len(findings)} English word(s) or typo(s) in French pages:\n" + "\n".join(findings)


def test_the_checker_sees_english_where_a_reader_reads_it():
    html = (
        "<html><head><title>Basket</title><script>var Search = 1;</script></head><body>"
        '<p>Votre panier</p><span class="sr-only">Toggle Dropdown</span>'
        '<img alt="Issue number"><input type="submit" value="Sign  in">'
        '<input type="hidden" name="Order" value="Order"><a data-x="Welcome">lien</a>'
        "</body></html>"
    )
    found = " ".join(english_in("/x/", html))
    for word in ("Basket", "Toggle", "Dropdown", "Issue number", "Sign in"):
        assert repr(word) in found, word
    for word in ("Search", "Order", "Welcome"):  # not read: a script, hidden, data-*
        assert repr(word) not in found, word
    assert english_in("/x/", "<p>Le numéro de la revue, l'adresse, le panier</p>") == []
    assert len(english_in("/x/", "<p>Ordre #100001, Prix: 9,50 €</p>")) == 2
    assert english_in("/x/", "<p>Actuellement: <a href='https://x.org/a:b'>12:30</a></p>")
    assert not english_in("/x/", "<p>Actions groupées: 12:30</p>", staff=True)
    assert english_in("/x/", "<p>Commande 100001, Prix : 9,50 €, Carnet d'adresses</p>") == []
    assert english_in("/x/", "<p><a href='https://x.org/a:b'>12:30</a> https://x.org</p>") == []


def test_anonymous_pages_are_french(db, demo_objects):
    client = Client()
    product = Product.objects.get(upc="ECHO-001-P")
    client.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    assert not (findings := crawl(client, ANONYMOUS_PAGES, demo_objects)), report(findings)


def test_reader_pages_are_french(db, demo_objects):
    reader = demo_objects["reader"]
    client = Client()
    client.force_login(reader)
    for upc in ("ECHO-001-P", PRINT_AND_DIGITAL):
        client.post(f"/basket/add/{Product.objects.get(upc=upc).pk}/", {"quantity": 1})
    session = client.session
    session["checkout_order_id"] = demo_objects["order_obj"].pk
    session.save()
    assert not (findings := crawl(client, READER_PAGES, demo_objects)), report(findings)


def test_basket_merged_at_sign_in_is_told_in_french(db, demo_objects):
    """Oscar's "We have merged 2 items from a previous session to your basket." """
    reader = demo_objects["reader"]
    earlier = Client()
    earlier.force_login(reader)
    earlier.post(f"/basket/add/{Product.objects.get(upc='ECHO-003-P').pk}/", {"quantity": 1})
    client = Client()
    for upc in ("ECHO-001-P", "ECHO-002-P"):
        client.post(f"/basket/add/{Product.objects.get(upc=upc).pk}/", {"quantity": 1})
    response = client.post(
        "/accounts/login/",
        {
            "login-username": reader.email,
            "login-password": "un-mot-de-passe-long",
            "login_submit": "1",
        },
        follow=True,
    )
    html = response.content.decode()
    assert not (findings := english_in("/accounts/login/ (signed in)", html)), report(findings)
    assert "2 articles" in html, "no message about the merged basket"


def test_treasurer_pages_are_french(db, demo_objects):
    client = Client()
    client.force_login(get_user_model().objects.get(email="tresorier@kiosque.example"))
    findings = crawl(client, TREASURER_PAGES, demo_objects, staff=True)
    assert not findings, report(findings)


def test_team_pages_are_french(db, demo_objects):
    client = Client()
    client.force_login(get_user_model().objects.get(email="equipe@kiosque.example"))
    findings = crawl(client, TEAM_PAGES, demo_objects, staff=True)
    assert not findings, report(findings)


def test_reader_with_a_confirmed_email(db, demo_objects):
    """The same space once the email is confirmed (no notice)."""
    reader = demo_objects["reader"]
    accounts_services.confirm_email(user=reader, email=reader.email)
    client = Client()
    client.force_login(reader)
    assert not (findings := crawl(client, ["/mon-espace/"], demo_objects)), report(findings)
