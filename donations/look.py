"""The association's look on the site: its colours (checked, with readable text colours
worked out from them) and its logo (checked, then drawn again as a plain PNG).

The colours reach pages only through the small stylesheet of ``donations.views.look``, never
in a page's own markup: a colour is six hex digits or it is not used (CSS injection), and the
Content-Security-Policy needs no inline style.
"""

import hashlib
import io
import re

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_PRIMARY = "#1d3557"
DEFAULT_ACCENT = "#b5441b"
# WCAG AA for normal text.
READABLE = 4.5
DARK_TEXT, LIGHT_TEXT = "#1b1b1b", "#ffffff"

LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_PIXELS = 4000  # width or height of what is uploaded
LOGO_FORMATS = {"PNG", "JPEG", "WEBP"}
LOGO_BOX = (600, 200)  # what is kept, at most: the header shows it 48 pixels high


def validate_colour(value: str) -> None:
    if not isinstance(value, str) or not COLOUR.match(value):
        raise ValidationError(
            _("Give a colour as # followed by six hexadecimal digits, e.g. #1d3557."),
            code="colour",
        )


def safe_colour(value: str, default: str) -> str:
    """``value`` if it is a colour, else ``default``: what the stylesheet writes."""
    return value.lower() if isinstance(value, str) and COLOUR.match(value) else default


def _luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_on(background: str) -> str:
    """The text colour (near black or white) that reads best on ``background``."""
    if contrast(background, LIGHT_TEXT) >= contrast(background, DARK_TEXT):
        return LIGHT_TEXT
    return DARK_TEXT


def ink(colour: str, on: str = "#ffffff") -> str:
    """``colour``, darkened just enough to be read as text on ``on`` (a link, a heading)."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    for _step in range(100):
        candidate = f"#{r:02x}{g:02x}{b:02x}"
        if contrast(candidate, on) >= READABLE:
            return candidate
        r, g, b = (int(v * 0.9) for v in (r, g, b))
    return DARK_TEXT


def stylesheet(primary: str, accent: str) -> str:
    """The CSS variables of the association's colours, and the readable colours from them."""
    primary = safe_colour(primary, DEFAULT_PRIMARY)
    accent = safe_colour(accent, DEFAULT_ACCENT)
    # Buttons: the colour itself when white or black text reads on it, else its darker ink.
    primary_button = primary if contrast(primary, text_on(primary)) >= READABLE else ink(primary)
    accent_button = accent if contrast(accent, text_on(accent)) >= READABLE else ink(accent)
    variables = {
        "--kiosque-primary": primary,
        "--kiosque-accent": accent,
        "--kiosque-primary-ink": ink(primary),
        "--kiosque-accent-ink": ink(accent),
        "--kiosque-primary-button": primary_button,
        "--kiosque-primary-on": text_on(primary_button),
        "--kiosque-accent-button": accent_button,
        "--kiosque-accent-on": text_on(accent_button),
        "--kiosque-primary-band-on": text_on(primary),
    }
    lines = "".join(f"  {name}: {value};\n" for name, value in variables.items())
    return f":root {{\n{lines}}}\n"


def version(*parts: str) -> str:
    """A short fingerprint of what a stylesheet or logo is made of (its URL changes with it)."""
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]


def clean_logo(upload) -> ContentFile:
    """The uploaded logo drawn again as a PNG, or ValidationError: only a PNG, JPEG or WebP
    image (no SVG: it may hold scripts), of at most 1 MB and 4000 pixels a side."""
    if upload.size > LOGO_MAX_BYTES:
        raise ValidationError(_("The logo must weigh 1 MB or less."), code="logo_size")
    upload.seek(0)
    data = upload.read(LOGO_MAX_BYTES + 1)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind, (width, height) = probe.format, probe.size
            if kind not in LOGO_FORMATS:
                raise ValidationError(
                    _("The logo must be a PNG, JPEG or WebP image."), code="logo_type"
                )
            if width > LOGO_MAX_PIXELS or height > LOGO_MAX_PIXELS:
                raise ValidationError(
                    _("The logo must be at most 4000 pixels wide and high."), code="logo_pixels"
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = image.convert("RGBA")
            image.thumbnail(LOGO_BOX)
            out = io.BytesIO()
            image.save(out, format="PNG", optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("The logo must be a PNG, JPEG or WebP image."), code="logo_type"
        ) from None
    return ContentFile(out.getvalue(), name="logo.png")
