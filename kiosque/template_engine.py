"""The site's template engine: Django's, except that plain-text templates (``*.txt``: every
email's body and subject, ours and Oscar's) are rendered without HTML escaping.

Django escapes every template the same way, so a plain-text email read ``L&#x27;Écho`` for
"L'Écho" and ``&amp;`` for "&". Plain text is never read as HTML, so there is nothing to
escape; the ``.html`` alternative of each email stays escaped.
"""

from django.template.backends.django import DjangoTemplates, Template
from django.template.context import make_context

PLAIN_TEXT = ".txt"


class PlainTextTemplate(Template):
    def render(self, context=None, request=None):
        return self.template.render(make_context(context, request, autoescape=False))


class Templates(DjangoTemplates):
    def get_template(self, template_name):
        template = super().get_template(template_name)
        if template_name.endswith(PLAIN_TEXT):
            return PlainTextTemplate(template.template, self)
        return template
