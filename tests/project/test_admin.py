"""The admin lists the outbox, card payments, Stripe events, and the donations' records."""

import pytest

from donations.services.receipts import issue_receipt
from tests.support.donations import make_donor, paid_donation


@pytest.mark.parametrize(
    "path",
    [
        "kiosque/outboxemail",
        "kiosque_shop/cardpayment",
        "payments/stripeevent",
        "donations/donor",
        "donations/donation",
        "donations/monthlygift",
        "donations/receipt",
        "magazine/issue",
        "magazine/subscription",
        "magazine/entitlement",
        "magazine/newslettersubscriber",
    ],
)
def test_admin_lists(admin_client, association, path):
    issue_receipt([paid_donation(make_donor())])
    response = admin_client.get(f"/admin/{path}/")
    assert response.status_code == 200


def test_receipts_cannot_be_changed_or_deleted_in_the_admin(admin_client, association):
    receipt = issue_receipt([paid_donation(make_donor())])
    assert admin_client.get(f"/admin/donations/receipt/{receipt.pk}/delete/").status_code == 403
    page = admin_client.get(f"/admin/donations/receipt/{receipt.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


# The admins of donor data, receipts and emails (TreasurerOnlyAdminMixin).
TREASURY_ADMINS = (
    "donations/association",
    "donations/donor",
    "donations/donation",
    "donations/monthlygift",
    "donations/receipt",
    "donations/treasurylog",
    "kiosque/outboxemail",
    "payments/stripeevent",
)


def _staff(django_user_model, name, *, groups=()):
    from django.contrib.auth.models import Group, Permission

    user = django_user_model.objects.create_user(name, f"{name}@example.org", "x-long-password")
    user.is_staff = True
    user.save()
    # Granted by mistake: every permission of the donations app and of the outbox.
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=("donations", "kiosque", "payments"))
    )
    for group in groups:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


def _treasury_objects():
    from donations.models import Association, TreasuryLog
    from kiosque.models import OutboxEmail
    from payments.models import StripeEvent

    receipt = issue_receipt([paid_donation(make_donor())])
    donation = receipt.donations.first()
    log = TreasuryLog.objects.create(action=TreasuryLog.Action.EXPORT_CSV)
    email = OutboxEmail.objects.create(
        from_email="a@example.org", to=["d@example.org"], subject="Votre reçu", body="x"
    )
    event = StripeEvent.objects.create(event_id="evt_admin", type="x", payload={})
    return {
        "donations/association": Association.objects.get().pk,
        "donations/donor": receipt.donor_id,
        "donations/donation": donation.pk,
        "donations/monthlygift": None,
        "donations/receipt": receipt.pk,
        "donations/treasurylog": log.pk,
        "kiosque/outboxemail": email.pk,
        "payments/stripeevent": event.pk,
    }


def test_staff_granted_treasury_permissions_by_mistake_are_still_refused(
    client, django_user_model, association
):
    pks = _treasury_objects()
    client.force_login(_staff(django_user_model, "team", groups=("Équipe",)))
    index = client.get("/admin/").content.decode()
    for path in TREASURY_ADMINS:
        assert f"/admin/{path}/" not in index, path
        assert client.get(f"/admin/{path}/").status_code == 403, path
        if pks[path]:
            for page in ("change", "history", "delete"):
                url = f"/admin/{path}/{pks[path]}/{page}/"
                assert client.get(url).status_code == 403, url


def test_the_treasury_group_reads_them(client, django_user_model, association):
    pks = _treasury_objects()
    client.force_login(_staff(django_user_model, "treasurer", groups=("Trésorerie",)))
    for path in TREASURY_ADMINS:
        assert client.get(f"/admin/{path}/").status_code == 200, path
        if pks[path]:
            assert client.get(f"/admin/{path}/{pks[path]}/change/").status_code == 200, path


def test_the_demo_team_has_no_permission_on_donor_data_or_emails(demo):
    from django.contrib.auth.models import Group

    team = Group.objects.get(name="Équipe").permissions
    assert not team.filter(content_type__app_label="donations").exists()
    assert not team.filter(content_type__model__in=("outboxemail", "stripeevent")).exists()
    treasury = Group.objects.get(name="Trésorerie").permissions
    assert treasury.filter(codename="view_outboxemail").exists()
