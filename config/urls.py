from django.apps import apps
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

# Not translated: the language switcher and (later) Stripe's webhook endpoint.
urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
]

# French at the root, English under /en/.
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("magazine.urls")),
    # Kiosque's dashboard pages, before Oscar's dashboard takes the rest of dashboard/.
    path("dashboard/", include("donations.urls")),
    path("", include(apps.get_app_config("oscar").urls[0])),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
