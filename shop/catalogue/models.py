"""Oscar's catalogue models, with one change to the product: a child product (an edition of
its parent, say the print or the PDF edition of an issue) may have a product class of its
own, which then decides what Oscar decides by the class: shipping, stock, attributes.

In Oscar, a child always takes its parent's class, so every edition of one product would
ship (or not) alike. A child without a class of its own still takes its parent's.
No field is added: the tables and migrations are Oscar's (settings' ``MIGRATION_MODULES``).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import AbstractProduct


class Product(AbstractProduct):
    def get_product_class(self):
        if self.is_child and self.product_class_id is None:
            return self.parent.product_class
        return self.product_class

    get_product_class.short_description = _("Product class")

    def _clean_child(self):
        """Oscar's rules for a child, less "a child product can't have a product class"."""
        if not (self.parent or self.parent_id):
            raise ValidationError(_("A child product needs a parent."))
        if not self.parent.is_parent:
            raise ValidationError(_("You can only assign child products to parent products."))
        if self.pk and self.categories.exists():
            raise ValidationError(_("A child product can't have a category assigned."))
        if self.pk and self.product_options.exists():
            raise ValidationError(_("A child product can't have options."))


from oscar.apps.catalogue.models import *  # noqa: E402  (Oscar's other models)
