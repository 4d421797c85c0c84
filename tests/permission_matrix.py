"""The permission matrix's machinery: every URL pattern of the site (walked from the resolver),
a concrete URL for each, and the answer each role gets. The decisions are in
tests/test_permission_matrix.py; this builds what they are checked against."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import translation
from oscar.core.loading import get_model
from oscar.test import factories

ROLES = ("anonymous", "reader", "other_reader", "team", "treasurer", "superuser")
# Where Django's admin and Oscar send those who must sign in first.
LOGIN_PATHS = ("/accounts/login/", "/admin/login/", "/dashboard/login/")


@dataclass(frozen=True)
class Pattern:
    route: str  # the full route, e.g. "dashboard/receipts/<str:number>/"
    name: str  # "namespace:name", or "" for an unnamed pattern
    callback: object


def url_patterns(patterns=None, prefix="", namespace=()):
    """Every URL pattern under the root resolver (admin, Oscar's apps, i18n included)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(
                pattern.url_patterns,
                prefix + str(pattern.pattern),
                namespace + ((pattern.namespace,) if pattern.namespace else ()),
            )
        elif isinstance(pattern, URLPattern):
            name = ":".join((*namespace, pattern.name)) if pattern.name else ""
            yield Pattern(prefix + str(pattern.pattern), name, pattern.callback)


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
    from tests.accounts import verified

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
    from tests.donations import make_donor, monthly_gift, paid_donation
    from tests.magazine import PRINT_AND_DIGITAL, place_order

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


# Concrete arguments per route: real objects, owned by the reader where they have an owner.
# Signed-link routes get a forged token (what an outsider can try).
FORGED = "forged:token"


APP_LIST = next((p.route for p in url_patterns() if p.name == "admin:app_list"), "admin:app_list")


def route_args(o) -> dict:
    order, receipt, product, wishlist = o["order"], o["receipt"], o["product"], o["wishlist"]
    return {
        "mon-espace/numeros/<int:number>/pdf/": {"number": o["issue"].number},
        "numeros/telechargement/<str:token>/": {"token": FORGED},
        "abonnements/renouveler/<str:token>/": {"token": FORGED},
        "abonnements/<int:pk>/offrir/": {"pk": product.pk},
        "lettre/confirmer/<str:token>/": {"token": FORGED},
        "lettre/desinscription/<str:token>/": {"token": FORGED},
        "don/recus/<str:token>/": {"token": FORGED},
        "don/recus/<str:token>/<str:number>.pdf": {"token": FORGED, "number": receipt.number},
        "don/mensuel/<str:token>/arreter/": {"token": FORGED},
        "accounts/dons/recus/<str:number>.pdf": {"number": receipt.number},
        "accounts/email/confirmer/<str:token>/": {"token": FORGED},
        "accounts/dons/mensuel/<int:pk>/arreter/": {"pk": o["gift"].pk},
        "dashboard/treasury/donors/<int:pk>/": {"pk": o["donor"].pk},
        "dashboard/treasury/archives/<int:pk>/progress/": {"pk": o["archive"].pk},
        "dashboard/treasury/archives/<int:pk>/download/": {"pk": o["archive"].pk},
        "dashboard/receipts/export.<str:format>": {"format": "csv"},
        "dashboard/receipts/<str:number>/": {"number": receipt.number},
        "dashboard/receipts/<str:number>.pdf": {"number": receipt.number},
        "dashboard/magazine/issues/<int:number>/": {"number": o["issue"].number},
        "dashboard/magazine/issues/<int:number>/publish/": {"number": o["issue"].number},
        "dashboard/magazine/issues/<int:number>/routing/": {"number": o["issue"].number},
        "dashboard/magazine/issues/<int:number>/routing.<str:format>": {
            "number": o["issue"].number,
            "format": "csv",
        },
        "dashboard/orders/<str:number>/refund/": {"number": order.number},
        r"catalogue/^(?P<product_slug>[\w-]*)_(?P<product_pk>\d+)/reviews/<int:pk>/": {
            "product_slug": product.slug,
            "product_pk": product.pk,
            "pk": o["review"].pk,
        },
        r"catalogue/^(?P<product_slug>[\w-]*)_(?P<product_pk>\d+)/reviews/add/": {
            "product_slug": product.slug,
            "product_pk": product.pk,
        },
        r"catalogue/^(?P<product_slug>[\w-]*)_(?P<product_pk>\d+)/reviews/<int:pk>/vote/": {
            "product_slug": product.slug,
            "product_pk": product.pk,
            "pk": o["review"].pk,
        },
        r"catalogue/^(?P<product_slug>[\w-]*)_(?P<product_pk>\d+)/reviews/": {
            "product_slug": product.slug,
            "product_pk": product.pk,
        },
        r"catalogue/^(?P<product_slug>[\w-]*)_(?P<pk>\d+)/$": {
            "product_slug": product.slug,
            "pk": product.pk,
        },
        r"catalogue/^category/(?P<category_slug>[\w-]+(/[\w-]+)*)_(?P<pk>\d+)/$": {
            "category_slug": o["category"].full_slug,
            "pk": o["category"].pk,
        },
        r"catalogue/^ranges/(?P<slug>[\w-]+)/$": {"slug": o["range"].slug},
        "basket/add/<int:pk>/": {"pk": product.pk},
        "basket/vouchers/<int:pk>/remove/": {"pk": o["voucher"].pk},
        "checkout/user-address/edit/<int:pk>/": {"pk": o["address"].pk},
        "checkout/user-address/delete/<int:pk>/": {"pk": o["address"].pk},
        r"accounts/^order-status-form/(?P<order_number>[\w-]*)/(?P<hash>[A-z0-9-_=:]+)/$": {
            "order_number": order.number,
            "hash": "forged",
        },
        r"accounts/^order-status/(?P<order_number>[\w-]*)/(?P<hash>[A-z0-9-_=:]+)/$": {
            "order_number": order.number,
            "hash": "forged",
        },
        "accounts/orders/<str:order_number>/": {"order_number": order.number},
        "accounts/orders/<str:order_number>/<int:line_id>/": {
            "order_number": order.number,
            "line_id": o["line"].pk,
        },
        "accounts/addresses/<int:pk>/": {"pk": o["address"].pk},
        "accounts/addresses/<int:pk>/delete/": {"pk": o["address"].pk},
        r"accounts/^addresses/(?P<pk>\d+)/(?P<action>default_for_(billing|shipping))/$": {
            "pk": o["address"].pk,
            "action": "default_for_billing",
        },
        "accounts/emails/<int:email_id>/": {"email_id": o["email"].pk},
        "accounts/notifications/<int:pk>/": {"pk": o["notification"].pk},
        "accounts/alerts/create/<int:pk>/": {"pk": product.pk},
        "accounts/alerts/confirm/<str:key>/": {"key": "forged"},
        "accounts/alerts/cancel/key/<str:key>/": {"key": "forged"},
        "accounts/alerts/cancel/<int:pk>/": {"pk": o["alert"].pk},
        "accounts/wishlists/add/<int:product_pk>/": {"product_pk": product.pk},
        "accounts/wishlists/<str:key>/add/<int:product_pk>/": {
            "key": wishlist.key,
            "product_pk": product.pk,
        },
        "accounts/wishlists/create/with-product/<int:product_pk>/": {"product_pk": product.pk},
        "accounts/wishlists/<str:key>/": {"key": wishlist.key},
        "accounts/wishlists/<str:key>/update/": {"key": wishlist.key},
        "accounts/wishlists/<str:key>/delete/": {"key": wishlist.key},
        "accounts/wishlists/<str:key>/lines/<int:line_pk>/delete/": {
            "key": wishlist.key,
            "line_pk": o["wishlist_line"].pk,
        },
        "accounts/wishlists/<str:key>/products/<int:product_pk>/delete/": {
            "key": wishlist.key,
            "product_pk": product.pk,
        },
        "accounts/wishlists/<str:key>/lines/<int:line_pk>/move-to/<str:to_key>/": {
            "key": wishlist.key,
            "line_pk": o["wishlist_line"].pk,
            "to_key": wishlist.key,
        },
        "dashboard/catalogue/products/<int:pk>/": {"pk": product.pk},
        r"dashboard/catalogue/^products/create/(?P<product_class_slug>[\w-]+)/$": {
            "product_class_slug": o["product_class"].slug,
        },
        "dashboard/catalogue/products/<int:parent_pk>/create-variant/": {"parent_pk": product.pk},
        "dashboard/catalogue/products/<int:pk>/delete/": {"pk": product.pk},
        "dashboard/catalogue/categories/<int:pk>/": {"pk": o["category"].pk},
        "dashboard/catalogue/categories/create/<int:parent>/": {"parent": o["category"].pk},
        "dashboard/catalogue/categories/<int:pk>/update/": {"pk": o["category"].pk},
        "dashboard/catalogue/categories/<int:pk>/delete/": {"pk": o["category"].pk},
        "dashboard/catalogue/product-type/<int:pk>/update/": {"pk": o["product_class"].pk},
        "dashboard/catalogue/product-type/<int:pk>/delete/": {"pk": o["product_class"].pk},
        "dashboard/catalogue/attribute-option-group/<str:pk>/update/": {"pk": o["option_group"].pk},
        "dashboard/catalogue/attribute-option-group/<str:pk>/delete/": {"pk": o["option_group"].pk},
        "dashboard/catalogue/option/<str:pk>/update/": {"pk": o["option"].pk},
        "dashboard/catalogue/option/<str:pk>/delete/": {"pk": o["option"].pk},
        "dashboard/orders/<str:number>/": {"number": order.number},
        "dashboard/orders/<str:number>/notes/<int:note_id>/": {
            "number": order.number,
            "note_id": o["note"].pk,
        },
        "dashboard/orders/<str:number>/lines/<int:line_id>/": {
            "number": order.number,
            "line_id": o["line"].pk,
        },
        "dashboard/orders/<str:number>/shipping-address/": {"number": order.number},
        r"dashboard/users/^(?P<pk>-?\d+)/$": {"pk": o["users"]["reader"].pk},
        r"dashboard/users/^(?P<pk>-?\d+)/password-reset/$": {"pk": o["users"]["reader"].pk},
        r"dashboard/users/^alerts/(?P<pk>-?\d+)/delete/$": {"pk": o["alert"].pk},
        r"dashboard/users/^alerts/(?P<pk>-?\d+)/update/$": {"pk": o["alert"].pk},
        "dashboard/pages/update/<str:pk>/": {"pk": o["page"].pk},
        "dashboard/pages/delete/<str:pk>/": {"pk": o["page"].pk},
        "dashboard/partners/<int:pk>/": {"pk": o["partner"].pk},
        "dashboard/partners/<int:pk>/delete/": {"pk": o["partner"].pk},
        "dashboard/partners/<int:partner_pk>/users/add/": {"partner_pk": o["partner"].pk},
        "dashboard/partners/<int:partner_pk>/users/select/": {"partner_pk": o["partner"].pk},
        "dashboard/partners/<int:partner_pk>/users/<int:user_pk>/link/": {
            "partner_pk": o["partner"].pk,
            "user_pk": o["users"]["reader"].pk,
        },
        "dashboard/partners/<int:partner_pk>/users/<int:user_pk>/unlink/": {
            "partner_pk": o["partner"].pk,
            "user_pk": o["users"]["reader"].pk,
        },
        "dashboard/partners/<int:partner_pk>/users/<int:user_pk>/update/": {
            "partner_pk": o["partner"].pk,
            "user_pk": o["users"]["reader"].pk,
        },
        "dashboard/offers/<int:pk>/metadata/": {"pk": o["offer"].pk},
        "dashboard/offers/<int:pk>/condition/": {"pk": o["offer"].pk},
        "dashboard/offers/<int:pk>/incentive/": {"pk": o["offer"].pk},
        "dashboard/offers/<int:pk>/restrictions/": {"pk": o["offer"].pk},
        "dashboard/offers/<int:pk>/delete/": {"pk": o["offer"].pk},
        "dashboard/offers/<int:pk>/": {"pk": o["offer"].pk},
        "dashboard/ranges/<int:pk>/": {"pk": o["range"].pk},
        "dashboard/ranges/<int:pk>/delete/": {"pk": o["range"].pk},
        "dashboard/ranges/<int:pk>/products/": {"pk": o["range"].pk},
        "dashboard/ranges/<int:pk>/reorder/": {"pk": o["range"].pk},
        "dashboard/reviews/<int:pk>/": {"pk": o["review"].pk},
        "dashboard/reviews/<int:pk>/delete/": {"pk": o["review"].pk},
        "dashboard/vouchers/update/<int:pk>/": {"pk": o["voucher"].pk},
        "dashboard/vouchers/delete/<int:pk>/": {"pk": o["voucher"].pk},
        "dashboard/vouchers/stats/<int:pk>/": {"pk": o["voucher"].pk},
        "dashboard/vouchers/sets/update/<int:pk>/": {"pk": o["voucher_set"].pk},
        "dashboard/vouchers/sets/detail/<int:pk>/": {"pk": o["voucher_set"].pk},
        "dashboard/vouchers/sets/download/<int:pk>/": {"pk": o["voucher_set"].pk},
        "dashboard/vouchers/sets/delete/<int:pk>/": {"pk": o["voucher_set"].pk},
        r"dashboard/comms/^(?P<slug>[\w-]+)/$": {"slug": o["event_type"].code},
        "dashboard/shipping/weight-based/<int:pk>/": {"pk": o["shipping"].pk},
        "dashboard/shipping/weight-based/<int:pk>/edit/": {"pk": o["shipping"].pk},
        "dashboard/shipping/weight-based/<int:pk>/delete/": {"pk": o["shipping"].pk},
        "dashboard/shipping/weight-based/<int:method_pk>/bands/<int:pk>/": {
            "method_pk": o["shipping"].pk,
            "pk": o["band"].pk,
        },
        "dashboard/shipping/weight-based/<int:method_pk>/bands/<int:pk>/delete/": {
            "method_pk": o["shipping"].pk,
            "pk": o["band"].pk,
        },
        r"offers/^(?P<slug>[\w-]+)/$": {"slug": o["offer"].slug},
        "wishlists/<str:key>/": {"key": wishlist.key},
        "password-reset/confirm/<str:uidb64>/<str:token>/": {"uidb64": "MQ", "token": "forged"},
        "admin/auth/user/<id>/password/": {"id": o["users"]["reader"].pk},
        "admin/catalogue/category/children/<str:parent_id>/": {"parent_id": o["category"].pk},
        APP_LIST: {"app_label": "donations"},
        "admin/r/<path:content_type_id>/<path:object_id>/": {
            "content_type_id": _content_type(order).pk,
            "object_id": order.pk,
        },
    }


def _content_type(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj)


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
