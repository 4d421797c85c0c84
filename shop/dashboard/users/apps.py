import oscar.apps.dashboard.users.apps as apps

from shop.dashboard.permissions import SuperuserOnlyDashboard


class UsersDashboardConfig(SuperuserOnlyDashboard, apps.UsersDashboardConfig):
    """Oscar's users dashboard deactivates accounts and sends password resets: superusers only.
    Oscar opens it to any staff member with auth.view_user (the demo's Équipe, the treasurer),
    who could lock the treasurer out."""

    name = "shop.dashboard.users"
