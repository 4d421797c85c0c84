import oscar.apps.catalogue.apps as apps


class CatalogueConfig(apps.CatalogueConfig):
    """Oscar's catalogue, with the product model of ``shop.catalogue.models`` (editions).

    Its tables and migrations stay Oscar's (``MIGRATION_MODULES``): the model adds no field.
    """

    name = "shop.catalogue"
