import oscar.apps.dashboard.communications.apps as apps

from shop.dashboard.permissions import SuperuserOnlyDashboard


class CommunicationsDashboardConfig(SuperuserOnlyDashboard, apps.CommunicationsDashboardConfig):
    """Oscar's email templates are rendered with the account in their context: whoever edits
    them writes every password-reset email (its link, the password hash). Superusers only."""

    name = "shop.dashboard.communications"
