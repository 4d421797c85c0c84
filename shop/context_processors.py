from django.conf import settings

from donations.selectors import get_association


def kiosque(request):
    return {
        "stripe_demo_mode": settings.STRIPE_DEMO_MODE,
        "association": get_association,  # called lazily, only by templates that show it
    }
