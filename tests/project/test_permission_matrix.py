"""The permission matrix: every URL pattern of the site (its pages, Oscar's, the dashboard, the
admin with each registered model's pages) by every role, against ONE table of decisions.

A pattern that is not in the table fails the test with its route: a new URL needs a decision.
Each cell is one GET (tests/support/permission_matrix.py builds the URLs with real objects owned by
"reader"). Outcomes: "200", "302" (a redirect elsewhere than a sign-in page), "login" (a
redirect to a sign-in page), "400", "403", "404", "405" (the page takes only POST).
"""

import pytest

from tests.support.admin_permission_table import ADMIN_MODELS, ADMIN_RULES
from tests.support.permission_matrix import (
    APP_LIST,
    ROLES,
    admin_page,
    make_objects,
    make_users,
    observe,
    registered_admin_models,
    url_patterns,
)

# The rules, one outcome per role in ROLES' order:
#          anonymous  reader  other_reader  team (Équipe)  treasurer  superuser
PUBLIC = ("200",) * 6
REDIRECT = ("302",) * 6  # e.g. the checkout with an empty basket, the language switcher
POST_ONLY = ("405",) * 6  # forms and Stripe's webhook: GET is refused for everyone
NOT_FOUND = ("404",) * 6  # a made-up key (alerts), an unknown range
# Signed links in emails, with a forged token: refused for everyone, signed in or not.
FORGED_LINK = ("403",) * 6
SIGNED_IN = ("login", "200", "200", "200", "200", "200")
SIGNED_IN_POST = ("login", "405", "405", "405", "405", "405")
# The reader's own things: another account (staff included) gets 404, as if they did not exist.
OWNER = ("login", "200", "404", "404", "404", "404")
OWNER_ACTION = ("login", "302", "404", "404", "404", "404")  # GET acts, then redirects
# Kiosque's dashboard pages (staff_member_required: others go to the admin's sign-in).
STAFF = ("login", "login", "login", "200", "200", "200")
STAFF_POST = ("login", "login", "login", "405", "405", "405")
# Donor data, receipts and their exports: the Trésorerie group and superusers only.
TREASURY = ("login", "login", "login", "403", "200", "200")
TREASURY_POST = ("login", "login", "login", "403", "405", "405")
# Oscar's dashboard: staff with the model permissions the demo's groups grant.
OSCAR_STAFF = ("login", "403", "403", "200", "200", "200")
OSCAR_STAFF_REDIRECT = ("login", "403", "403", "302", "302", "302")
OSCAR_SUPERUSER = ("login", "403", "403", "403", "403", "200")
SIGNED_OUT_ONLY = ("200", "302", "302", "302", "302", "302")  # sign in, register
PASSWORD_RESET = ("200", "403", "403", "403", "403", "403")  # for the signed out only

TABLE = {
    "i18n/setlang/": REDIRECT,
    # Stripe's webhook: POST with a signature only (tests/payments/test_stripe_webhooks.py).
    "stripe/webhook/": POST_ONLY,
    # The association's look for every page (tests/donations/test_association_look.py); the
    # demo association has no logo.
    "site/look-<str:version>.css": PUBLIC,
    "site/logo-<str:version>.png": NOT_FOUND,
    "admin/": STAFF,
    # The admin: its sign-in page; non-staff signed in see it too, and staff are sent on.
    "admin/login/": ("200", "200", "200", "302", "302", "302"),
    "admin/logout/": ("302", "302", "302", "405", "405", "405"),
    "admin/password_change/": STAFF,
    "admin/password_change/done/": STAFF,
    "admin/autocomplete/": ("login", "login", "login", "403", "403", "403"),
    "admin/jsi18n/": STAFF,
    "admin/r/<path:content_type_id>/<path:object_id>/": (
        "login",
        "login",
        "login",
        "404",
        "404",
        "404",
    ),
    "admin/auth/user/<id>/password/": ("login", "login", "login", "403", "403", "200"),
    "admin/catalogue/category/move/": ("login", "login", "login", "400", "400", "400"),
    "admin/catalogue/category/children/<str:parent_id>/": STAFF,
    "admin/catalogue/category/jsi18n/": PUBLIC,
    APP_LIST: (
        "login",
        "login",
        "login",
        "404",
        "200",
        "200",
    ),
    "admin/(?P<url>.*)$": ("login", "login", "login", "404", "404", "404"),
    "": PUBLIC,
    "mon-espace/": SIGNED_IN,
    # The reader bought issue 2's PDF; nobody else did (staff included).
    "mon-espace/numeros/<int:number>/pdf/": ("login", "200", "403", "403", "403", "403"),
    # Links in emails: a forged or expired token is refused (403), whoever asks.
    "numeros/telechargement/<str:token>/": FORGED_LINK,
    "abonnements/renouveler/<str:token>/": FORGED_LINK,
    "abonnements/": PUBLIC,
    "abonnements/<int:pk>/offrir/": PUBLIC,
    "lettre/": PUBLIC,
    "lettre/confirmer/<str:token>/": FORGED_LINK,
    "lettre/desinscription/<str:token>/": FORGED_LINK,
    "don/": PUBLIC,
    "don/paiement/": REDIRECT,
    "don/paiement/carte/": POST_ONLY,
    "don/paiement/payer/": POST_ONLY,
    "don/paiement/terminer/": POST_ONLY,
    "don/merci/": PUBLIC,
    # The gift added to an order: forms on the basket and payment pages (their own basket).
    "don/commande/": POST_ONLY,
    "don/commande/retirer/": POST_ONLY,
    "don/recus/<str:token>/": FORGED_LINK,
    "don/recus/<str:token>/<str:number>.pdf": FORGED_LINK,
    "don/mensuel/<str:token>/": FORGED_LINK,
    "don/mensuel/<str:token>/montant/": FORGED_LINK,
    "don/mensuel/<str:token>/pause/": FORGED_LINK,
    "don/mensuel/<str:token>/reprendre/": FORGED_LINK,
    "don/mensuel/<str:token>/paiement/": FORGED_LINK,
    # The payment method's endpoints (POST): a forged link is refused before the method.
    "don/mensuel/<str:token>/paiement/preparer/": FORGED_LINK,
    "don/mensuel/<str:token>/paiement/enregistrer/": FORGED_LINK,
    "don/mensuel/<str:token>/paiement/terminer/": FORGED_LINK,
    "don/mensuel/<str:token>/arreter/": FORGED_LINK,
    "accounts/dons/": SIGNED_IN,
    "accounts/dons/recus/<str:number>.pdf": OWNER,
    "accounts/dons/mensuel/<int:pk>/arreter/": SIGNED_IN_POST,
    # The association's details and signature, printed on receipts: the treasury's.
    "dashboard/association/": TREASURY,
    "dashboard/association/signature/": TREASURY,
    # The treasurer's desk: donors, gifts, receipts, exports, archives, the log.
    "dashboard/treasury/": TREASURY,
    "dashboard/treasury/log/": TREASURY,
    "dashboard/treasury/donations/": TREASURY,
    "dashboard/treasury/monthly-gifts/": TREASURY,
    "dashboard/treasury/donors/<int:pk>/": TREASURY,
    "dashboard/treasury/donors.csv": TREASURY,
    "dashboard/treasury/annual-receipts/": TREASURY_POST,
    "dashboard/treasury/archives/": TREASURY_POST,
    "dashboard/treasury/archives/<int:pk>/progress/": TREASURY,
    # The treasury's; the archive is not ready yet: 404 for those who may see it.
    "dashboard/treasury/archives/<int:pk>/download/": (
        "login",
        "login",
        "login",
        "403",
        "404",
        "404",
    ),
    "dashboard/receipts/": TREASURY,
    "dashboard/receipts/export.<str:format>": TREASURY,
    "dashboard/receipts/<str:number>/": TREASURY,
    "dashboard/receipts/<str:number>.pdf": TREASURY,
    "dashboard/magazine/issues/": STAFF,
    "dashboard/magazine/issues/new/": STAFF,
    "dashboard/magazine/issues/<int:number>/": STAFF,
    "dashboard/magazine/issues/<int:number>/publish/": STAFF_POST,
    "dashboard/magazine/issues/<int:number>/routing/": STAFF,
    "dashboard/magazine/issues/<int:number>/routing.<str:format>": STAFF,
    "dashboard/magazine/newsletter.csv": STAFF,
    "dashboard/orders/<str:number>/refund/": STAFF_POST,
    "catalogue/": PUBLIC,
    "catalogue/^(?P<product_slug>[\\w-]*)_(?P<pk>\\d+)/$": PUBLIC,
    "catalogue/^category/(?P<category_slug>[\\w-]+(/[\\w-]+)*)_(?P<pk>\\d+)/$": PUBLIC,
    "catalogue/^ranges/(?P<slug>[\\w-]+)/$": NOT_FOUND,
    "basket/": PUBLIC,
    "basket/add/<int:pk>/": POST_ONLY,
    "basket/vouchers/add/": REDIRECT,
    "basket/vouchers/<int:pk>/remove/": POST_ONLY,
    "basket/saved/": ("login", "302", "302", "302", "302", "302"),
    "checkout/": REDIRECT,
    "checkout/shipping-address/": REDIRECT,
    "checkout/user-address/edit/<int:pk>/": OWNER,
    "checkout/user-address/delete/<int:pk>/": OWNER,
    "checkout/shipping-method/": REDIRECT,
    "checkout/payment-method/": REDIRECT,
    "checkout/payment-details/": REDIRECT,
    "checkout/preview/": REDIRECT,
    "checkout/thank-you/": REDIRECT,
    "checkout/card/setup/": REDIRECT,
    "checkout/card/pay/": REDIRECT,
    "checkout/card/complete/": POST_ONLY,
    "accounts/login/": SIGNED_OUT_ONLY,
    "accounts/logout/": REDIRECT,
    "accounts/register/": SIGNED_OUT_ONLY,
    "accounts/": ("login", "302", "302", "302", "302", "302"),
    "accounts/change-password/": SIGNED_IN,
    # The email confirmation link (forged here): for the account that asked for it only.
    "accounts/email/confirmer/<str:token>/": ("login", "403", "403", "403", "403", "403"),
    "accounts/email/envoyer-le-lien/": SIGNED_IN_POST,
    "accounts/profile/": SIGNED_IN,
    "accounts/profile/edit/": SIGNED_IN,
    "accounts/profile/delete/": SIGNED_IN,
    "accounts/orders/": SIGNED_IN,
    "accounts/^order-status-form/(?P<order_number>[\\w-]*)/(?P<hash>[A-z0-9-_=:]+)/$": PUBLIC,
    "accounts/^order-status/(?P<order_number>[\\w-]*)/(?P<hash>[A-z0-9-_=:]+)/$": REDIRECT,
    "accounts/orders/<str:order_number>/": OWNER,
    # Oscar's order line takes POST (reorder); a GET by its owner finds no template
    # (customer/order/line_detail.html): 500, Oscar's, left as is. Others: 404.
    "accounts/orders/<str:order_number>/<int:line_id>/": (
        "login",
        "500",
        "404",
        "404",
        "404",
        "404",
    ),
    "accounts/addresses/": SIGNED_IN,
    "accounts/addresses/add/": SIGNED_IN,
    "accounts/addresses/<int:pk>/": OWNER,
    "accounts/addresses/<int:pk>/delete/": OWNER,
    "accounts/^addresses/(?P<pk>\\d+)/(?P<action>default_for_(billing|shipping))/$": OWNER_ACTION,
    "accounts/emails/": SIGNED_IN,
    "accounts/emails/<int:email_id>/": OWNER,
    "accounts/notifications/": REDIRECT,
    "accounts/notifications/inbox/": SIGNED_IN,
    "accounts/notifications/archive/": SIGNED_IN,
    "accounts/notifications/update/": SIGNED_IN_POST,
    "accounts/notifications/<int:pk>/": OWNER,
    "accounts/alerts/": SIGNED_IN,
    "accounts/alerts/create/<int:pk>/": REDIRECT,
    "accounts/alerts/confirm/<str:key>/": NOT_FOUND,
    "accounts/alerts/cancel/key/<str:key>/": NOT_FOUND,
    "accounts/alerts/cancel/<int:pk>/": OWNER_ACTION,
    "accounts/wishlists/": SIGNED_IN,
    "accounts/wishlists/add/<int:product_pk>/": ("login", "302", "302", "302", "302", "302"),
    "accounts/wishlists/<str:key>/add/<int:product_pk>/": OWNER_ACTION,
    "accounts/wishlists/create/": SIGNED_IN,
    "accounts/wishlists/create/with-product/<int:product_pk>/": SIGNED_IN,
    # A wish list's own key: only its owner (Oscar answers 404, even signed out).
    "accounts/wishlists/<str:key>/": ("404", "200", "404", "404", "404", "404"),
    "accounts/wishlists/<str:key>/update/": OWNER,
    "accounts/wishlists/<str:key>/delete/": OWNER,
    "accounts/wishlists/<str:key>/lines/<int:line_pk>/delete/": OWNER,
    "accounts/wishlists/<str:key>/products/<int:product_pk>/delete/": OWNER,
    "accounts/wishlists/<str:key>/lines/<int:line_pk>/move-to/<str:to_key>/": OWNER_ACTION,
    "search/": PUBLIC,
    # Oscar's dashboard: staff with model permissions; a signed-in customer gets 403.
    "dashboard/": OSCAR_STAFF,
    "dashboard/catalogue/products/bulk-action/": OSCAR_STAFF_REDIRECT,
    "dashboard/catalogue/products/<int:pk>/": OSCAR_STAFF,
    "dashboard/catalogue/products/create/": OSCAR_STAFF_REDIRECT,
    "dashboard/catalogue/^products/create/(?P<product_class_slug>[\\w-]+)/$": OSCAR_STAFF,
    "dashboard/catalogue/products/<int:parent_pk>/create-variant/": OSCAR_STAFF_REDIRECT,
    "dashboard/catalogue/products/<int:pk>/delete/": OSCAR_STAFF,
    "dashboard/catalogue/": OSCAR_STAFF,
    "dashboard/catalogue/stock-alerts/": OSCAR_STAFF,
    "dashboard/catalogue/product-lookup/": OSCAR_STAFF,
    "dashboard/catalogue/categories/": OSCAR_STAFF,
    "dashboard/catalogue/categories/<int:pk>/": OSCAR_STAFF,
    "dashboard/catalogue/categories/create/": OSCAR_STAFF,
    "dashboard/catalogue/categories/create/<int:parent>/": OSCAR_STAFF,
    "dashboard/catalogue/categories/<int:pk>/update/": OSCAR_STAFF,
    "dashboard/catalogue/categories/<int:pk>/delete/": OSCAR_STAFF,
    "dashboard/catalogue/product-type/create/": OSCAR_STAFF,
    "dashboard/catalogue/product-types/": OSCAR_STAFF,
    "dashboard/catalogue/product-type/<int:pk>/update/": OSCAR_STAFF,
    "dashboard/catalogue/product-type/<int:pk>/delete/": OSCAR_STAFF,
    "dashboard/catalogue/attribute-option-group/create/": OSCAR_STAFF,
    "dashboard/catalogue/attribute-option-group/": OSCAR_STAFF,
    "dashboard/catalogue/attribute-option-group/<str:pk>/update/": OSCAR_STAFF,
    "dashboard/catalogue/attribute-option-group/<str:pk>/delete/": OSCAR_STAFF,
    "dashboard/catalogue/option/": OSCAR_STAFF,
    "dashboard/catalogue/option/create/": OSCAR_STAFF,
    "dashboard/catalogue/option/<str:pk>/update/": OSCAR_STAFF,
    "dashboard/catalogue/option/<str:pk>/delete/": OSCAR_STAFF,
    "dashboard/reports/": OSCAR_SUPERUSER,
    "dashboard/orders/": OSCAR_STAFF,
    "dashboard/orders/statistics/": OSCAR_STAFF,
    "dashboard/orders/<str:number>/": OSCAR_STAFF,
    "dashboard/orders/<str:number>/notes/<int:note_id>/": OSCAR_STAFF,
    "dashboard/orders/<str:number>/lines/<int:line_id>/": OSCAR_STAFF,
    "dashboard/orders/<str:number>/shipping-address/": OSCAR_STAFF,
    # Oscar's users dashboard deactivates accounts, sends resets: superusers only.
    "dashboard/users/": OSCAR_SUPERUSER,
    "dashboard/users/^(?P<pk>-?\\d+)/$": OSCAR_SUPERUSER,
    "dashboard/users/^(?P<pk>-?\\d+)/password-reset/$": (
        "login",
        "403",
        "403",
        "403",
        "403",
        "405",
    ),
    "dashboard/users/alerts/": OSCAR_SUPERUSER,
    "dashboard/users/^alerts/(?P<pk>-?\\d+)/delete/$": OSCAR_SUPERUSER,
    "dashboard/users/^alerts/(?P<pk>-?\\d+)/update/$": OSCAR_SUPERUSER,
    "dashboard/pages/": OSCAR_STAFF,
    "dashboard/pages/create/": OSCAR_STAFF,
    "dashboard/pages/update/<str:pk>/": OSCAR_STAFF,
    "dashboard/pages/delete/<str:pk>/": OSCAR_STAFF,
    "dashboard/partners/": OSCAR_STAFF,
    "dashboard/partners/create/": OSCAR_STAFF,
    "dashboard/partners/<int:pk>/": OSCAR_STAFF,
    "dashboard/partners/<int:pk>/delete/": OSCAR_STAFF,
    "dashboard/partners/<int:partner_pk>/users/add/": OSCAR_SUPERUSER,
    "dashboard/partners/<int:partner_pk>/users/select/": OSCAR_SUPERUSER,
    "dashboard/partners/<int:partner_pk>/users/<int:user_pk>/link/": (
        "login",
        "403",
        "403",
        "403",
        "403",
        "302",
    ),
    "dashboard/partners/<int:partner_pk>/users/<int:user_pk>/unlink/": (
        "login",
        "403",
        "403",
        "403",
        "403",
        "405",
    ),
    "dashboard/partners/<int:partner_pk>/users/<int:user_pk>/update/": OSCAR_SUPERUSER,
    "dashboard/offers/": OSCAR_STAFF,
    "dashboard/offers/new/metadata/": OSCAR_STAFF,
    "dashboard/offers/new/condition/": OSCAR_STAFF_REDIRECT,
    "dashboard/offers/new/incentive/": OSCAR_STAFF_REDIRECT,
    "dashboard/offers/new/restrictions/": OSCAR_STAFF_REDIRECT,
    "dashboard/offers/<int:pk>/metadata/": OSCAR_STAFF,
    "dashboard/offers/<int:pk>/condition/": OSCAR_STAFF,
    "dashboard/offers/<int:pk>/incentive/": OSCAR_STAFF,
    "dashboard/offers/<int:pk>/restrictions/": OSCAR_STAFF,
    "dashboard/offers/<int:pk>/delete/": OSCAR_STAFF,
    "dashboard/offers/<int:pk>/": OSCAR_STAFF,
    "dashboard/ranges/": OSCAR_STAFF,
    "dashboard/ranges/create/": OSCAR_STAFF,
    "dashboard/ranges/<int:pk>/": OSCAR_STAFF,
    "dashboard/ranges/<int:pk>/delete/": OSCAR_STAFF,
    "dashboard/ranges/<int:pk>/products/": OSCAR_STAFF,
    "dashboard/ranges/<int:pk>/reorder/": ("login", "403", "403", "405", "405", "405"),
    "dashboard/reviews/": OSCAR_STAFF,
    "dashboard/reviews/<int:pk>/": OSCAR_STAFF,
    "dashboard/reviews/<int:pk>/delete/": OSCAR_STAFF,
    "dashboard/vouchers/": OSCAR_STAFF,
    "dashboard/vouchers/create/": OSCAR_STAFF,
    "dashboard/vouchers/update/<int:pk>/": OSCAR_STAFF,
    "dashboard/vouchers/delete/<int:pk>/": OSCAR_STAFF,
    "dashboard/vouchers/stats/<int:pk>/": OSCAR_STAFF,
    "dashboard/vouchers/sets/": OSCAR_STAFF,
    "dashboard/vouchers/sets/create/": OSCAR_STAFF,
    "dashboard/vouchers/sets/update/<int:pk>/": OSCAR_STAFF,
    "dashboard/vouchers/sets/detail/<int:pk>/": OSCAR_STAFF,
    "dashboard/vouchers/sets/download/<int:pk>/": OSCAR_STAFF,
    "dashboard/vouchers/sets/delete/<int:pk>/": OSCAR_STAFF,
    # Email templates write every password-reset email: superusers only.
    "dashboard/comms/": OSCAR_SUPERUSER,
    "dashboard/comms/^(?P<slug>[\\w-]+)/$": OSCAR_SUPERUSER,
    "dashboard/shipping/weight-based/": OSCAR_STAFF,
    "dashboard/shipping/weight-based/create/": OSCAR_STAFF,
    "dashboard/shipping/weight-based/<int:pk>/": OSCAR_STAFF,
    "dashboard/shipping/weight-based/<int:pk>/edit/": OSCAR_STAFF,
    "dashboard/shipping/weight-based/<int:pk>/delete/": OSCAR_STAFF,
    "dashboard/shipping/weight-based/<int:method_pk>/bands/<int:pk>/": OSCAR_STAFF,
    "dashboard/shipping/weight-based/<int:method_pk>/bands/<int:pk>/delete/": OSCAR_STAFF,
    "dashboard/login/": PUBLIC,
    "dashboard/logout/": POST_ONLY,
    "offers/": PUBLIC,
    "offers/^(?P<slug>[\\w-]+)/$": PUBLIC,
    # The shared view of a private wish list: its owner only.
    "wishlists/<str:key>/": ("403", "200", "403", "403", "403", "403"),
    "password-reset/": PASSWORD_RESET,
    "password-reset/done/": PASSWORD_RESET,
    "password-reset/confirm/<str:uidb64>/<str:token>/": PASSWORD_RESET,
    "password-reset/complete/": PASSWORD_RESET,
}


def expected(route: str):
    """The table's decision for a pattern, or None if it has none."""
    if route in TABLE:
        return TABLE[route]
    page = admin_page(route)
    if page and page[0] in ADMIN_MODELS:
        return ("login", "login", "login") + ADMIN_RULES[ADMIN_MODELS[page[0]]][page[1]]
    return None


def test_every_url_pattern_has_a_decision():
    missing = [p.route for p in url_patterns() if expected(p.route) is None]
    assert not missing, "URL patterns with no row in the permission matrix:\n" + "\n".join(missing)
    unused = set(TABLE) - {p.route for p in url_patterns()}
    assert not unused, f"rows for patterns that no longer exist: {sorted(unused)}"
    assert set(ADMIN_MODELS) == set(registered_admin_models())


@pytest.mark.usefixtures("demo")
def test_the_permission_matrix(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    users = make_users()
    patterns = [p for p in url_patterns() if expected(p.route) is not None]
    objects = make_objects(users)
    seen = observe(patterns, objects, users)
    wrong = [
        f"{pattern.route} as {role}: expected {want}, got {seen[pattern.route, role]}"
        for pattern in patterns
        for role, want in zip(ROLES, expected(pattern.route), strict=True)
        if seen[pattern.route, role] != want
    ]
    assert not wrong, f"{len(wrong)} cells differ from the table:\n" + "\n".join(wrong)

    # The same decisions under /en/ (i18n_patterns) for what is not everyone's.
    english = [
        p
        for p in patterns
        if not p.route.startswith(("i18n/", "stripe/"))
        and expected(p.route)[3:] in (TREASURY[3:], ("403", "403", "200"))
    ]
    assert len(english) > 40
    seen = observe(english, objects, users, prefix="/en")
    wrong = [
        f"/en/{pattern.route} as {role}: expected {want}, got {seen[pattern.route, role]}"
        for pattern in english
        for role, want in zip(ROLES, expected(pattern.route), strict=True)
        if seen[pattern.route, role] != want
    ]
    assert not wrong, f"{len(wrong)} English cells differ from the table:\n" + "\n".join(wrong)
