from django.conf import settings


def stripe(request):
    return {"stripe_demo_mode": settings.STRIPE_DEMO_MODE}
