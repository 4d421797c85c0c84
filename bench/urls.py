"""The site's URLs, plus two references measured in the same run: a bare Django view that
returns a constant, and Oscar's stock catalogue page (Oscar's view and templates, none of
Kiosque's overrides)."""

from django.http import HttpResponse
from django.urls import path
from oscar.apps.catalogue.views import CatalogueView

from config.urls import urlpatterns as site_urlpatterns


def constant(request):
    return HttpResponse("Kiosque", content_type="text/plain")


class StockCatalogueView(CatalogueView):
    template_engine = "oscar_stock"


urlpatterns = [
    path("bench/constant/", constant),
    path("bench/oscar-catalogue/", StockCatalogueView.as_view()),
    *site_urlpatterns,
]
