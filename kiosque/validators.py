import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Unicode's control, format, private-use and surrogate characters: invisible, and some of them
# (the bidi overrides and isolates, U+202A-U+202E, U+2066-U+2069) reorder what is shown.
CONTROL = ("Cc", "Cf", "Co", "Cs")
# The format characters people do type: the joiners of emoji sequences (👨‍👩‍👧) and of Persian
# or Indic words, and the marks of right-to-left text (LRM, RLM, ALM). They reorder nothing.
ALLOWED_FORMAT = "\u200c\u200d\u200e\u200f\u061c"
# Where a field has several lines (a gift's message): line breaks and tabs.
LINE_BREAKS = "\n\r\t"
# The flags of England, Scotland and Wales: a black flag, tag letters, a cancel tag. Tag letters
# anywhere else are invisible text, and refused.
EMOJI_TAG_SEQUENCE = re.compile("\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f")


def _invisible(value: str, allowed: str) -> bool:
    value = EMOJI_TAG_SEQUENCE.sub("", value)
    return any(
        char not in allowed
        and (unicodedata.category(char) in CONTROL or unicodedata.category(char) in ("Zl", "Zp"))
        for char in value
    )


def _check(value: str, allowed: str) -> None:
    if any(char in value for char in "<>"):
        raise ValidationError(_("Please remove the characters < and >."), code="markup")
    if _invisible(value, allowed):
        raise ValidationError(
            _("This field contains invisible control characters."), code="control"
        )


def plain_text(value: str) -> None:
    """Names and addresses are plain text on one line: no markup, no control characters.

    Everything is escaped on output anyway (pages, emails, PDFs); this keeps markup out of
    the database too, with a message that says what is wrong. Accents, right-to-left
    scripts and emoji sequences are text.
    """
    _check(value, ALLOWED_FORMAT)


def plain_text_lines(value: str) -> None:
    """Like ``plain_text``, for a field of several lines (a message): line breaks allowed."""
    _check(value, ALLOWED_FORMAT + LINE_BREAKS)


def guard_free_text(form: forms.BaseForm) -> None:
    """Give every free-text field of ``form`` its validator: ``plain_text_lines`` for a text
    area, ``plain_text`` for one line. Emails, URLs, passwords and choices are not free text
    (their own fields check them)."""
    for field in form.fields.values():
        if type(field) is not forms.CharField or isinstance(field.widget, forms.PasswordInput):
            continue
        multiline = isinstance(field.widget, forms.Textarea)
        validator = plain_text_lines if multiline else plain_text
        if validator not in field.validators:
            field.validators.append(validator)
