class SuperuserOnlyDashboard:
    """An Oscar dashboard app whose every page (and so its menu entry, which asks the same
    permissions) needs is_superuser, whatever model permissions a staff member holds."""

    default_permissions = ["is_superuser"]

    def configure_permissions(self):
        super().configure_permissions()
        self.permissions_map = dict.fromkeys(self.permissions_map, self.default_permissions)
