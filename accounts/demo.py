"""Demonstration data, the people's part: the dashboard's staff groups and the two staff
accounts the README gives (they exist only in the demo)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from accounts import services as accounts_services
from kiosque.access import TREASURER_GROUP

TEAM_GROUP = "Équipe"
# Oscar's dashboard checks model permissions (e.g. order.view_order), not only is_staff.
# Donor data, receipts and the outbox are the treasury's (TREASURY_MODELS), never the team's.
TEAM_APPS = (
    "order", "catalogue", "partner", "offer", "voucher", "payment", "shipping",
    "communication", "flatpages", "reviews", "wishlists", "kiosque_shop",
)  # fmt: skip
# What the treasury group reads in the admin beyond what its migration granted.
TREASURY_MODELS = (("kiosque", "outboxemail"), ("payments", "stripeevent"))
# Copies of the emails sent to accounts (password-reset links among them) and the templates
# that write them: nobody's but the superusers' (shop.admin).
NOBODY_S_MODELS = (("communication", "email"), ("communication", "communicationeventtype"))


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    first_name: str
    last_name: str
    groups: tuple[str, ...] = ()


# The README gives these; they exist only in the demo.
TREASURER = DemoAccount(
    "tresorier@kiosque.example",
    "demo-tresorier",
    "Claire",
    "Martin",
    (TEAM_GROUP, TREASURER_GROUP),
)
STAFF = DemoAccount("equipe@kiosque.example", "demo-equipe", "Paul", "Durand", (TEAM_GROUP,))


def seed() -> None:
    _team_group()
    for account in (TREASURER, STAFF):
        _staff_account(account)


def _team_group() -> None:
    group, _ = Group.objects.get_or_create(name=TEAM_GROUP)
    permissions = Permission.objects.filter(content_type__app_label__in=TEAM_APPS)
    for app_label, model in TREASURY_MODELS + NOBODY_S_MODELS:
        permissions = permissions.exclude(
            content_type__app_label=app_label, content_type__model=model
        )
    group.permissions.set(
        permissions
        | Permission.objects.filter(content_type__app_label="auth", codename="view_user")
    )
    treasury, _ = Group.objects.get_or_create(name=TREASURER_GROUP)
    for app_label, model in TREASURY_MODELS:
        treasury.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label,
                content_type__model=model,
                codename__startswith="view_",
            )
        )


def _staff_account(account: DemoAccount) -> None:
    User = get_user_model()
    user = User.objects.filter(email=account.email).first() or User(
        username=account.email, email=account.email
    )
    user.first_name = account.first_name
    user.last_name = account.last_name
    user.is_staff = True
    user.is_active = True
    if not user.has_usable_password() or not user.check_password(account.password):
        user.set_password(account.password)
    user.save()
    # The demo's accounts count as having followed their confirmation link.
    accounts_services.confirm_email(user=user, email=user.email)
    for name in account.groups:
        group, _ = Group.objects.get_or_create(name=name)
        user.groups.add(group)
