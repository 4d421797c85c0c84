import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CONTROL = ("Cc", "Cf", "Co", "Cs")
# Line breaks and tabs (a gift's message), and the joiner of emoji sequences.
ALLOWED_CONTROL = "\n\r\t\u200d"


def plain_text(value: str) -> None:
    """Names and addresses are plain text: no markup, no control characters.

    Everything is escaped on output anyway (pages, emails, PDFs); this keeps markup out of
    the database too, with a message that says what is wrong.
    """
    if any(char in value for char in "<>"):
        raise ValidationError(_("Please remove the characters < and >."), code="markup")
    if any(unicodedata.category(char) in ("Cc", "Cf", "Co", "Cs") for char in value):
        raise ValidationError(
            _("This field contains invisible control characters."), code="control"
        )
