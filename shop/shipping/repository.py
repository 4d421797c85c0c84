from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from oscar.apps.shipping import repository
from oscar.apps.shipping.methods import Base
from oscar.core import prices

from shop.shipping import postage


class PostalDelivery(Base):
    """La Poste, France and abroad: a flat charge for single print issues (the product
    classes registered in ``postage``).

    Subscriptions include their postage, so a basket of subscriptions only ships free.
    """

    code = "postal-delivery"
    name = _("Postal delivery (La Poste)")

    def calculate(self, basket):
        posted_singly = any(
            postage.is_charged(line.product.get_product_class().slug) for line in basket.all_lines()
        )
        charge = settings.KIOSQUE_POSTAGE_CHARGE if posted_singly else Decimal("0.00")
        return prices.Price(currency=basket.currency, excl_tax=charge, tax=Decimal("0.00"))


class Repository(repository.Repository):
    methods = (PostalDelivery(),)
