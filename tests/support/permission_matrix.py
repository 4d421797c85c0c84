"""The permission matrix's machinery: every URL pattern of the site (walked from the resolver),
a concrete URL for each, and the answer each role gets. The decisions are in
tests/project/test_permission_matrix.py; this builds what they are checked against."""

import re

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import resolve, reverse
from django.utils import translation
from oscar.core.loading import get_model
from oscar.test import factories

from tests.support.permission_urls import (  # noqa: F401  (the matrix's names, in one place)
    APP_LIST,
    FORGED,
    Pattern,
    content_type,
    route_args,
    url_patterns,
)

ROLES = ("anonymous", "reader", "other_reader", "team", "treasurer", "superuser")
# Where Django's admin and Oscar send those who must sign in first.
LOGIN_PATHS = ("/accounts/login/", "/admin/login/", "/dashboard/login/")


ADMIN_PAGE = re.compile(
    r"^admin/(?P<app>\w+)/(?P<model>\w+)/"
    r"(?P<page>|add/|<path:object_id>/history/|<path:object_id>/delete/"
    r"|<path:object_id>/change/|<path:object_id>/)$"
)
ADMIN_PAGE_NAMES = {
    "": "changelist",
    "add/": "add",
    "<path:object_id>/history/": "history",
    "<path:object_id>/delete/": "delete",
    "<path:object_id>/change/": "change",
    "<path:object_id>/": "object",
}


def admin_page(route: str) -> tuple[str, str] | None:
    """("app.model", page) for a registered model admin's pattern, else None."""
    match = ADMIN_PAGE.match(route)
    if not match:
        return None
    label = f"{match['app']}.{match['model']}"
    if label not in registered_admin_models():
        return None
    return label, ADMIN_PAGE_NAMES[match["page"]]


def registered_admin_models() -> dict:
    return {model._meta.label_lower: model for model in admin.site._registry}


def _user(username, *, staff=False, superuser=False, groups=()):
    User = get_user_model()
    user = User.objects.filter(email=username).first()
    if user is None:
        user = User.objects.create_user(username, username, "x-long-password-1")
    user.is_staff = staff or superuser
    user.is_superuser = superuser
    user.save()
    for group in groups:
        user.groups.add(Group.objects.get(name=group))
    return user


def make_users() -> dict:
    """The roles' accounts; the team and the treasurer are the demo's (its groups' grants)."""
    from tests.support.accounts import verified

    return {
        # Readers who confirmed their email: they own what was bought or given under it.
        "reader": verified(_user("reader@example.org")),
        "other_reader": verified(_user("other@example.org")),
        "team": get_user_model().objects.get(email="equipe@kiosque.example"),
        "treasurer": get_user_model().objects.get(email="tresorier@kiosque.example"),
        "superuser": _user("root@example.org", superuser=True),
    }


def make_objects(users) -> dict:
    """One object of each model a URL names, owned by the reader where it has an owner."""
    from donations.models import ReceiptArchive, TreasuryLog
    from donations.services.receipts import issue_receipt
    from kiosque.models import OutboxEmail
    from magazine.models import Issue
    from payments.models import StripeEvent
    from tests.support.donations import make_donor, monthly_gift, paid_donation
    from tests.support.magazine import PRINT_AND_DIGITAL, place_order

    reader = users["reader"]
    order = place_order(PRINT_AND_DIGITAL, "ECHO-002-N", user=reader)
    donor = make_donor(email=reader.email, user=reader)
    receipt = issue_receipt([paid_donation(donor, "30")])
    product = order.lines.first().product
    category = product.get_categories().first()
    offer = factories.ConditionalOfferFactory()
    voucher_set = factories.VoucherSetFactory(count=1)
    wishlist = factories.WishListFactory(owner=reader)
    wishlist_line = wishlist.add(product) or wishlist.lines.first()
    shipping = factories.create_shipping_weight_based()
    objects = {
        "order": order,
        "line": order.lines.first(),
        "note": get_model("order", "OrderNote").objects.create(
            order=order, user=users["team"], message="note"
        ),
        "donor": donor,
        "receipt": receipt,
        "gift": monthly_gift(donor),
        "archive": ReceiptArchive.objects.create(year=receipt.year, requested_by=None),
        "issue": Issue.objects.get(number=2),  # the reader bought its PDF
        "product": product,
        "category": category,
        "product_class": product.product_class,
        "option_group": factories.AttributeOptionGroupFactory(),
        "option": factories.OptionFactory(),
        "partner": product.stockrecords.first().partner,
        "offer": offer,
        "range": offer.condition.range or factories.RangeFactory(),
        "review": factories.ProductReviewFactory(product=product, user=reader),
        "voucher": factories.VoucherFactory(),
        "voucher_set": voucher_set,
        "shipping": shipping,
        "band": factories.create_shipping_weight_band(2, 5, weight_based=shipping),
        "page": get_model("flatpages", "FlatPage").objects.create(
            url="/a-propos/", title="À propos", content="x"
        ),
        "event_type": get_model("communication", "CommunicationEventType").objects.create(
            code="MATRIX", name="Matrix"
        ),
        "alert": factories.ProductAlertFactory(product=product, user=reader),
        "address": factories.UserAddressFactory(user=reader),
        "wishlist": wishlist,
        "wishlist_line": wishlist_line,
        "notification": get_model("communication", "Notification").objects.create(
            recipient=reader, subject="x"
        ),
        "email": get_model("communication", "Email").objects.create(
            user=reader, email=reader.email, subject="x", body_text="x"
        ),
        "users": users,
        # The treasury's admin rows, so that their change pages show a real one.
        "outbox": OutboxEmail.objects.create(
            from_email="a@example.org", to=[reader.email], subject="Votre reçu", body="x"
        ),
        "event": StripeEvent.objects.create(event_id="evt_matrix", type="x", payload={}),
        "log": TreasuryLog.objects.create(action=TreasuryLog.Action.EXPORT_CSV),
    }
    return objects


def client_for(role, users) -> Client:
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(users[role])
    return client


def outcome(response) -> str:
    """The answer as the table writes it: "200", "403", "404", "405", "login" (a redirect to a
    sign-in page), or "302" (any other redirect)."""
    if response.status_code in (301, 302):
        location = response["Location"]
        if any(path in location for path in LOGIN_PATHS):
            return "login"
        return "302"
    return str(response.status_code)


def concrete_url(pattern: Pattern, args: dict) -> str:
    """The URL to ask for ``pattern``: reversed with ``args`` by name, or built from the route;
    checked to resolve back to the same pattern."""
    if pattern.name and (not pattern.route.startswith("admin/") or "(?P<" in pattern.route):
        url = reverse(pattern.name, kwargs=args)
    elif pattern.route == "admin/(?P<url>.*)$":
        url = "/admin/matrix-nowhere/"
    else:
        url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(args[m[1]]), pattern.route)
    match = resolve(url)
    assert match.route.replace("^", "") == pattern.route.replace("^", ""), (pattern.route, url)
    return url


def admin_object_id(label: str):
    model = registered_admin_models()[label]
    pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
    return "0" if pk is None else pk


def observe(patterns, objects, users, *, prefix="") -> dict:
    """{(route, role): outcome} for every pattern (GET, one request a cell); ``prefix`` "/en"
    asks for the English pages instead."""
    args = route_args(objects)
    clients = {role: client_for(role, users) for role in ROLES}
    seen = {}
    for pattern in patterns:
        page = admin_page(pattern.route)
        kwargs = {"object_id": admin_object_id(page[0])} if page else args.get(pattern.route, {})
        try:
            # Built in the default language (a request to /en/ leaves English active).
            with translation.override(settings.LANGUAGE_CODE):
                url = prefix + concrete_url(pattern, kwargs)
        except Exception as error:  # reported by the test, with the route
            for role in ROLES:
                seen[pattern.route, role] = f"no URL: {error!r}"
            continue
        for role in ROLES:
            # Signing out ends the shared session: a client of its own.
            client = client_for(role, users) if "logout" in pattern.route else clients[role]
            seen[pattern.route, role] = outcome(client.get(url))
    return seen
