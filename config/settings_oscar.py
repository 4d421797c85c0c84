"""Oscar's settings (imported by config.settings, after Oscar's defaults): the shop, its search
and its dashboard. Only the names set here: a star import of Oscar's defaults here would undo
what config.settings sets (OSCAR_FROM_EMAIL)."""

from django.utils.translation import gettext_lazy as _
from oscar.defaults import OSCAR_DASHBOARD_NAVIGATION as _OSCARS_NAVIGATION

from config.environment import DEBUG, VAR_DIR, env, env_path
from kiosque.access import staff_only, treasurer_only

# --- Oscar --------------------------------------------------------------------
OSCAR_SHOP_NAME = env.str("SHOP_NAME", default="Kiosque")
OSCAR_SHOP_TAGLINE = _("The readers' magazine")
OSCAR_DEFAULT_CURRENCY = "EUR"
OSCAR_HOMEPAGE = "/"
# Oscar's forms where people type their names and addresses check that text (kiosque.validators).
OSCAR_DYNAMIC_CLASS_LOADER = "shop.loading.class_loader"
OSCAR_ALLOW_ANON_CHECKOUT = True
# No ratings or reviews of the issues: Oscar's reviews pages are not mounted (no URL to post
# to), its templates hide them, and the dashboard's reviews menu goes with them.
OSCAR_HIDDEN_FEATURES = ["reviews"]
OSCAR_URL_SCHEMA = "https" if not DEBUG else "http"
OSCAR_REQUIRED_ADDRESS_FIELDS = ("first_name", "last_name", "line1", "line4", "postcode", "country")
OSCAR_INITIAL_ORDER_STATUS = "En attente"
OSCAR_INITIAL_LINE_STATUS = "En attente"
OSCAR_ORDER_STATUS_PIPELINE = {
    "En attente": ("En préparation", "Annulée"),
    "En préparation": ("Expédiée", "Annulée"),
    "Expédiée": (),
    "Annulée": (),
}
# Oscar browses and searches the catalogue through Haystack. Whoosh keeps its index in files
# (SEARCH_INDEX_PATH): shared storage, or one index per web machine rebuilt with update_index.
HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
        "PATH": str(env_path("SEARCH_INDEX_PATH", VAR_DIR / "whoosh_index")),
    }
}
# Whoosh computes no facets; Oscar's price-range facets would only warn.
OSCAR_SEARCH_FACETS = {"fields": {}, "queries": {}}
THUMBNAIL_KVSTORE = "sorl.thumbnail.kvstores.cached_db_kvstore.KVStore"

# The association's own pages join Oscar's dashboard menu.
OSCAR_DASHBOARD_NAVIGATION = [
    *_OSCARS_NAVIGATION,
    {
        "label": _("Magazine"),
        "icon": "fas fa-newspaper",
        "children": [
            {
                "label": _("Issues and routing lists"),
                "url_name": "magazine-dashboard:issues",
                "access_fn": staff_only,
            },
            {
                "label": _("Newsletter subscribers (CSV)"),
                "url_name": "magazine-dashboard:newsletter-export",
                "access_fn": staff_only,
            },
        ],
    },
    {
        "label": _("Treasury"),
        "icon": "fas fa-euro-sign",
        "children": [
            {
                "label": _("Year at a glance"),
                "url_name": "donations-dashboard:treasury",
                "access_fn": treasurer_only,
            },
            {
                "label": _("Gifts"),
                "url_name": "donations-dashboard:donations",
                "access_fn": treasurer_only,
            },
            {
                "label": _("Monthly gifts"),
                "url_name": "donations-dashboard:monthly-gifts",
                "access_fn": treasurer_only,
            },
            {
                "label": _("Tax receipts"),
                "url_name": "donations-dashboard:receipts",
                "access_fn": treasurer_only,
            },
            {
                "label": _("Log of exports and cancellations"),
                "url_name": "donations-dashboard:log",
                "access_fn": treasurer_only,
            },
        ],
    },
    {
        "label": _("Association"),
        "icon": "fas fa-hand-holding-heart",
        "children": [
            {
                "label": _("Details for tax receipts"),
                "url_name": "donations-dashboard:association",
                "access_fn": treasurer_only,
            },
        ],
    },
]
