from django import template

from donations.refusals import refusal_label

register = template.Library()


@register.filter
def refusal(code: str) -> str:
    """``{{ gift.error_code|refusal }}``: the code in the treasurer's words."""
    return refusal_label(code)
