"""The permission matrix's concrete URLs: arguments per route, from real objects."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


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


def content_type(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj)


# Concrete arguments per route: real objects, owned by the reader where they have an owner.
# Signed-link routes get a forged token (what an outsider can try).
FORGED = "forged:token"


APP_LIST = next((p.route for p in url_patterns() if p.name == "admin:app_list"), "admin:app_list")


def route_args(o) -> dict:
    order, receipt, product, wishlist = o["order"], o["receipt"], o["product"], o["wishlist"]
    return {
        "site/look-<str:version>.css": {"version": "v1"},
        "site/logo-<str:version>.png": {"version": "v1"},
        "mon-espace/numeros/<int:number>/pdf/": {"number": o["issue"].number},
        "numeros/telechargement/<str:token>/": {"token": FORGED},
        "abonnements/renouveler/<str:token>/": {"token": FORGED},
        "abonnements/<int:pk>/offrir/": {"pk": product.pk},
        "lettre/confirmer/<str:token>/": {"token": FORGED},
        "lettre/desinscription/<str:token>/": {"token": FORGED},
        "don/recus/<str:token>/": {"token": FORGED},
        "don/recus/<str:token>/<str:number>.pdf": {"token": FORGED, "number": receipt.number},
        "don/mensuel/<str:token>/": {"token": FORGED},
        "don/mensuel/<str:token>/montant/": {"token": FORGED},
        "don/mensuel/<str:token>/pause/": {"token": FORGED},
        "don/mensuel/<str:token>/reprendre/": {"token": FORGED},
        "don/mensuel/<str:token>/paiement/": {"token": FORGED},
        "don/mensuel/<str:token>/paiement/preparer/": {"token": FORGED},
        "don/mensuel/<str:token>/paiement/enregistrer/": {"token": FORGED},
        "don/mensuel/<str:token>/paiement/terminer/": {"token": FORGED},
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
            "content_type_id": content_type(order).pk,
            "object_id": order.pk,
        },
    }
