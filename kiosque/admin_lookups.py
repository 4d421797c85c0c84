"""The admin's lists filter only on what each declares: its list filters, its date hierarchy
(and its search box, which is no lookup). Django's admin also takes, from the query string, a
lookup on any of a model's own fields (``?body__contains=...``), which let staff read a masked
field one character at a time, or answer 500 on a lookup a field cannot take."""

from django.contrib.admin import ModelAdmin
from django.contrib.admin.widgets import url_params_from_lookup_dict
from django.db.models.constants import LOOKUP_SEP


def declared_filters(model_admin, request) -> set[str]:
    items = model_admin.get_list_filter(request) if request is not None else model_admin.list_filter
    declared = {model_admin.date_hierarchy}
    for item in items:
        if isinstance(item, (list, tuple)):
            item = item[0]
        declared.add(item if isinstance(item, str) else getattr(item, "parameter_name", None))
    return {name for name in declared if name}


def lookup_allowed(self, lookup, value, request=None) -> bool:
    # Raw-id pop-ups filter on their foreign key's limit_choices_to: Django's own rule.
    for fk_lookup in self.model._meta.related_fkey_lookups:
        fk_lookup = fk_lookup() if callable(fk_lookup) else fk_lookup
        if (lookup, value) in url_params_from_lookup_dict(fk_lookup).items():
            return True
    return any(
        lookup == name or lookup.startswith(name + LOOKUP_SEP)
        for name in declared_filters(self, request)
    )


def restrict_admin_lookups() -> None:
    """Every ModelAdmin of the site, ours and Oscar's, takes only its declared filters."""
    ModelAdmin.lookup_allowed = lookup_allowed
