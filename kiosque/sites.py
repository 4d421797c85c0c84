"""Django's Sites framework says where the site lives in links that Oscar and Django write
(password resets, order emails): it follows SITE_URL, so that those links are never dead."""

from urllib.parse import urlsplit

from django.conf import settings


def sync_current_site(**kwargs) -> None:
    """Set the current Site's domain and name from SITE_URL and SHOP_NAME (after migrate)."""
    from django.contrib.sites.models import Site

    Site.objects.update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": urlsplit(settings.SITE_URL).netloc, "name": settings.OSCAR_SHOP_NAME},
    )
