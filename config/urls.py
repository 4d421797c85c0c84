from django.apps import apps
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from oscar.views.decorators import login_forbidden

from donations.views import look as look_views
from kiosque.language import set_language
from payments import views as payment_views
from shop import password_reset
from shop import views as shop_views

# Production's error pages: 403.html and 404.html in the site's look; the 500 page from
# settings alone (kiosque.views.server_error).
handler400 = "kiosque.views.bad_request"
handler500 = "kiosque.views.server_error"

# Not translated: the language switcher and Stripe's webhook endpoint.
urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("stripe/webhook/", payment_views.stripe_webhook, name="stripe-webhook"),
    # The association's colours and logo (dashboard, Association), for every page.
    path("site/look-<str:version>.css", look_views.stylesheet, name="association-look"),
    path("site/logo-<str:version>.png", look_views.logo, name="association-logo"),
]

# French at the root, English under /en/.
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("magazine.urls")),
    path("", include("donations.urls")),
    # Kiosque's dashboard pages, before Oscar's dashboard takes the rest of dashboard/.
    path("dashboard/", include("donations.dashboard_urls")),
    path("dashboard/magazine/", include("magazine.dashboard_urls")),
    path(
        "dashboard/orders/<str:number>/refund/",
        shop_views.refund_order,
        name="kiosque-order-refund",
    ),
    # Before Oscar's: email confirmation, and its profile page (an email change waits for it).
    path("", include("accounts.urls")),
    # Oscar's password reset, limited against email floods (before Oscar's own URL).
    path(
        "password-reset/",
        login_forbidden(password_reset.PasswordResetView.as_view()),
        name="password-reset",
    ),
    path("", include(apps.get_app_config("oscar").urls[0])),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
