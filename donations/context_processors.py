from django.utils.functional import SimpleLazyObject

from donations.selectors import get_association


def association(request):
    """The association (or None), read once per request and only by templates that show it;
    and the site's name from it (the header, the pages' titles), in place of SHOP_NAME."""
    cached = getattr(request, "_kiosque_association", None)
    if cached is None:
        cached = SimpleLazyObject(lambda: {"value": get_association()})
        request._kiosque_association = cached

    def current():
        return cached["value"]

    def shop_name():
        found = current()
        return found.display_name if found is not None else _default_name()

    return {"association": current, "shop_name": SimpleLazyObject(shop_name)}


def _default_name() -> str:
    from django.conf import settings

    return settings.OSCAR_SHOP_NAME
