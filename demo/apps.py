from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """`manage.py load_demo`: on top of every app, installed last; no app imports it."""

    name = "demo"
    verbose_name = _("Demonstration data")
