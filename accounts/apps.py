from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Readers' accounts: who owns an email (confirmed by a link sent to it)."""

    name = "accounts"
    label = "kiosque_accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from accounts import receivers  # noqa: F401  (asks new accounts to confirm their email)
