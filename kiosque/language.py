"""The language switcher (the footer's form): Django's set_language, from any page."""

from django.utils import translation
from django.views import i18n
from django.views.decorators.csrf import csrf_protect


@csrf_protect
def set_language(request):
    """Django's view, with the language of the page the reader comes from active: it reads
    that page's address in the active language, and /en/… reads as no page in French, so a
    reader switching back to French from /en/abonnements/ was sent to /en/abonnements/ again."""
    next_url = request.POST.get("next", request.GET.get("next")) or ""
    language = translation.get_language_from_path(next_url)
    if language:
        translation.activate(language)
    return i18n.set_language(request)
