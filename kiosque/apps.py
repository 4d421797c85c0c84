from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KiosqueConfig(AppConfig):
    """What every app shares and none owns: access rules, the email outbox, exports, PDFs,
    signed links, private storage and the site's security. It imports no app of ours."""

    name = "kiosque"
    verbose_name = _("Kiosque")

    def ready(self):
        from django.contrib.auth.signals import user_login_failed
        from django.db.models.signals import post_migrate

        from kiosque.admin_lookups import restrict_admin_lookups
        from kiosque.auth import count_failed_sign_in
        from kiosque.sites import sync_current_site

        post_migrate.connect(sync_current_site, sender=self, dispatch_uid="kiosque-site")
        restrict_admin_lookups()
        user_login_failed.connect(count_failed_sign_in, dispatch_uid="kiosque-login-failures")
