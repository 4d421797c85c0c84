"""Oscar's class loader (OSCAR_DYNAMIC_CLASS_LOADER), with the site's check of free text
(kiosque.validators.guard_free_text) on Oscar's forms where people type their own names,
addresses and delivery notes. Oscar's other forms (the dashboard's, with HTML descriptions)
are loaded as they are."""

import functools

from oscar.core.loading import default_class_loader

from kiosque.validators import guard_free_text

PEOPLES_FORMS = {
    ("customer.forms", "ProfileForm"),
    ("customer.forms", "UserForm"),
    ("address.forms", "UserAddressForm"),
    ("checkout.forms", "ShippingAddressForm"),
}


def class_loader(module_label, classnames, module_prefix):
    classes = default_class_loader(module_label, classnames, module_prefix)
    return [
        guarded(cls) if (module_label, name) in PEOPLES_FORMS else cls
        for name, cls in zip(classnames, classes, strict=True)
    ]


@functools.cache
def guarded(form_class):
    """``form_class`` whose free-text fields are checked."""

    def __init__(self, *args, **kwargs):
        form_class.__init__(self, *args, **kwargs)
        guard_free_text(self)

    return type(
        form_class.__name__,
        (form_class,),
        {"__init__": __init__, "__module__": form_class.__module__},
    )
