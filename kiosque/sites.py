"""Django's Sites framework says where the site lives in links that Oscar and Django write
(password resets, order emails): it follows SITE_URL, so that those links are never dead."""

from urllib.parse import urlsplit

from django.conf import settings


def sync_current_site(**kwargs) -> None:
    """Set the current Site's domain from SITE_URL (after migrate). Its name starts as SHOP_NAME
    and then follows the association's site name (donations names it when saved): a migrate
    never undoes the name set in the dashboard."""
    from django.contrib.sites.models import Site

    domain = urlsplit(settings.SITE_URL).netloc
    Site.objects.update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": domain},
        create_defaults={"domain": domain, "name": settings.OSCAR_SHOP_NAME},
    )


def site_name() -> str:
    """The site's name in emails and pages outside a request (Oscar's emails use it too)."""
    from django.contrib.sites.models import Site

    return Site.objects.get_current().name


def name_site(name: str) -> None:
    """Name the current Site (saved, so that Django's cache of it is cleared)."""
    from django.contrib.sites.models import Site

    site = Site.objects.get_current()
    if site.name != name:
        site.name = name
        site.save(update_fields=["name"])
