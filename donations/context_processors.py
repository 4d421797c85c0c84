from donations.selectors import get_association


def association(request):
    # Called lazily, only by templates that show it.
    return {"association": get_association}
