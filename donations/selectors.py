from donations.models import Association


def get_association() -> Association | None:
    """The association, or None before it has been set up (see ``manage.py load_demo``)."""
    return Association.objects.filter(pk=1).first()
