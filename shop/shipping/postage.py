"""Which product classes carry the flat postage charge (``KIOSQUE_POSTAGE_CHARGE``): the app
that sells them says so from its ``ready()`` (magazine: single print issues), so that the
shop's shipping knows no product of the apps above it."""

_charged_classes: set[str] = set()


def charge_postage_for(*, product_class_slug: str) -> None:
    _charged_classes.add(product_class_slug)


def is_charged(product_class_slug: str) -> bool:
    return product_class_slug in _charged_classes
