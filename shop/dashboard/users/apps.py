import oscar.apps.dashboard.users.apps as apps


class UsersDashboardConfig(apps.UsersDashboardConfig):
    """Oscar's users dashboard deactivates accounts and sends password resets: superusers only.

    Oscar opens it to any staff member with auth.view_user (the demo's Équipe, the treasurer),
    who could lock the treasurer out. Every page (and so its dashboard menu entry, which asks
    the same permissions) needs is_superuser instead."""

    name = "shop.dashboard.users"

    default_permissions = ["is_superuser"]

    def configure_permissions(self):
        super().configure_permissions()
        self.permissions_map = dict.fromkeys(self.permissions_map, self.default_permissions)
