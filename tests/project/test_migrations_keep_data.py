"""A database migrated on main before the house's move (b9f3c19) moves forward with nothing
lost: the outbox's emails, Stripe's events and the card attempts keep their tables, rows and
ids, and their content types move with them (same ids, no duplicates), so that the permissions
given on them and the admin's history stay (issue 17).

The test database is migrated back to main's state then (the way back is tested too), filled
through the historical models, migrated forward, and read through today's models and admin.
A migration of ours added later must be reversible for it to go back.
"""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from kiosque.access import TREASURER_GROUP
from kiosque.models import OutboxEmail
from payments.models import CardAttempt, StripeEvent

# Migrating back and forth is transactional (SQLite's schema editor wants no transaction open)
# and takes a few seconds: `-m "not migrations"` leaves these tests out of a quick run.
pytestmark = [pytest.mark.migrations, pytest.mark.django_db(transaction=True)]

# Each of our apps' latest migration on main before the move; the apps born since (kiosque,
# payments...) had none.
BEFORE_THE_MOVE = {
    "kiosque_accounts": "0001_verified_emails_and_unique_user_emails",
    "donations": "0007_gifts_placed_by_account",
    "kiosque_shop": "0003_card_attempts",
    "magazine": "0003_line_options",
    "shipping": "0003_auto_20181115_1953",
}
# Each moved model's new app.
MOVED = {"outboxemail": "kiosque", "stripeevent": "payments", "cardattempt": "payments"}


def our_apps(executor):
    def is_ours(label):
        # Our apps with migrations of their own (shop.catalogue keeps Oscar's migrations).
        path = Path(apps.get_app_config(label).path)
        module, _ = executor.loader.migrations_module(label)
        return (
            path.is_relative_to(settings.BASE_DIR)
            and "site-packages" not in path.parts
            and not module.startswith("oscar.")
        )

    return sorted(label for label in executor.loader.migrated_apps if is_ours(label))


def before_the_move(executor):
    return [(label, BEFORE_THE_MOVE.get(label)) for label in our_apps(executor)]


def latest(executor):
    return executor.loader.graph.leaf_nodes()


@pytest.fixture
def migrate(transactional_db):
    """Migrates the test database to the given nodes and returns the state's apps; at the end
    the database is at the latest migrations again, whatever happened."""

    def migrate(targets):
        executor = MigrationExecutor(connection)
        state = executor.migrate(targets(executor) if callable(targets) else targets)
        state.clear_delayed_apps_cache()
        ContentType.objects.clear_cache()
        return state.apps

    yield migrate
    migrate(latest)


def test_rows_ids_and_permissions_go_forward_with_the_moved_models(migrate):
    old = migrate(before_the_move)

    # As on main then: their content types (made by post_migrate) under shop's label only.
    OldContentType = old.get_model("contenttypes", "ContentType")
    old_types = {ct.model: ct for ct in OldContentType.objects.filter(model__in=MOVED)}
    assert {(ct.app_label, model) for model, ct in old_types.items()} == {
        ("kiosque_shop", model) for model in MOVED
    }
    old_permissions = set(
        old.get_model("auth", "Permission")
        .objects.filter(content_type__in=old_types.values())
        .values_list("pk", "codename")
    )
    assert len(old_permissions) == 4 * len(MOVED)

    emails = [
        old.get_model("kiosque_shop", "OutboxEmail").objects.create(
            subject=subject,
            from_email="Kiosque <contact@example.org>",
            to=["marie@example.org"],
            body="Merci pour votre don.",
            attachments=[{"filename": "recu.pdf", "mimetype": "application/pdf"}],
            attempts=attempts,
            sent_at=sent_at,
        )
        for subject, attempts, sent_at in (
            ("Votre reçu fiscal", 1, timezone.now()),
            ("Votre don mensuel", 3, None),
        )
    ]
    event = old.get_model("kiosque_shop", "StripeEvent").objects.create(
        event_id="evt_before_the_move",
        type="payment_intent.succeeded",
        payload={"id": "evt_before_the_move", "data": {"object": {"amount": 5000}}},
        handled=True,
    )
    attempt = old.get_model("kiosque_shop", "CardAttempt").objects.create(
        setup_intent_id="seti_before_the_move",
        customer_id="cus_marie",
        client_ip="203.0.113.7",
        email="marie@example.org",
        failures=2,
    )
    # The treasurer reads the outbox and Stripe's events through her group (as the demo
    # grants them) and may change card attempts through a permission of her own.
    OldPermission = old.get_model("auth", "Permission")
    treasury, _ = old.get_model("auth", "Group").objects.get_or_create(name=TREASURER_GROUP)
    treasury.permissions.add(
        OldPermission.objects.get(
            content_type=old_types["outboxemail"], codename="view_outboxemail"
        ),
        OldPermission.objects.get(
            content_type=old_types["stripeevent"], codename="view_stripeevent"
        ),
    )
    claire = old.get_model("auth", "User").objects.create(
        username="claire", email="claire@example.org", is_staff=True
    )
    claire.groups.add(treasury)
    claire.user_permissions.add(
        OldPermission.objects.get(
            content_type=old_types["cardattempt"], codename="change_cardattempt"
        )
    )
    history = old.get_model("admin", "LogEntry").objects.create(
        user=claire,
        content_type=old_types["outboxemail"],
        object_id=str(emails[1].pk),
        object_repr=emails[1].subject,
        action_flag=CHANGE,
        change_message="[]",
    )

    migrate(latest)

    # The rows, read through today's models: same tables, same ids.
    assert list(OutboxEmail.objects.order_by("pk").values_list("pk", "subject", "attempts")) == [
        (email.pk, email.subject, email.attempts) for email in emails
    ]
    assert OutboxEmail.objects.get(pk=emails[0].pk).sent_at == emails[0].sent_at
    assert StripeEvent.objects.get().payload == event.payload
    assert StripeEvent.objects.get().pk == event.pk
    assert CardAttempt.objects.values_list("pk", "setup_intent_id", "failures").get() == (
        attempt.pk,
        "seti_before_the_move",
        2,
    )
    # Moved, not duplicated: one content type per model, under its new app, with its old id
    # and its old permissions.
    assert {
        (ct.pk, ct.app_label, ct.model) for ct in ContentType.objects.filter(model__in=MOVED)
    } == {(old_types[model].pk, app, model) for model, app in MOVED.items()}
    for model in (OutboxEmail, StripeEvent, CardAttempt):
        assert ContentType.objects.get_for_model(model).pk == old_types[model._meta.model_name].pk
    assert (
        set(Permission.objects.filter(content_type__model__in=MOVED).values_list("pk", "codename"))
        == old_permissions
    )
    assert set(
        Group.objects.get(name=TREASURER_GROUP)
        .permissions.filter(content_type__model__in=MOVED)
        .values_list("content_type__app_label", "codename")
    ) == {("kiosque", "view_outboxemail"), ("payments", "view_stripeevent")}
    claire = get_user_model().objects.get(pk=claire.pk)
    assert claire.has_perm("payments.change_cardattempt")
    assert not claire.has_perm("payments.delete_cardattempt")
    assert LogEntry.objects.get(pk=history.pk).get_edited_object() == OutboxEmail.objects.get(
        pk=emails[1].pk
    )

    # The admin lists the old rows to the treasurer, on the strength of the old grants.
    client = Client()
    client.force_login(claire)
    for url, count in (("/admin/kiosque/outboxemail/", 2), ("/admin/payments/stripeevent/", 1)):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.context["cl"].result_count == count, url

    # New rows follow the old ones (PostgreSQL's sequences went on with the tables).
    new = OutboxEmail.objects.create(
        subject="Après", from_email="a@example.org", to=["b@example.org"]
    )
    assert new.pk > max(email.pk for email in emails)


def test_a_partial_rollback_then_forward_merges_the_content_types_without_losing_grants(migrate):
    """`migrate kiosque_shop 0003` takes the content types back to shop; its post_migrate then
    makes fresh ones for kiosque and payments (their models are still in the state). Grants
    given on either side in between stay when migrating forward again."""
    call_command("migrate", "kiosque_shop", "0003_card_attempts", verbosity=0)
    ContentType.objects.clear_cache()
    back = {ct.model: ct.pk for ct in ContentType.objects.filter(app_label="kiosque_shop")}
    assert set(back) >= set(MOVED)
    fresh = ContentType.objects.filter(app_label__in=set(MOVED.values()), model__in=MOVED)
    assert fresh.count() == len(MOVED)

    treasury, _ = Group.objects.get_or_create(name=TREASURER_GROUP)
    treasury.permissions.add(
        Permission.objects.get(content_type__app_label="kiosque_shop", codename="view_outboxemail"),
        Permission.objects.get(content_type__app_label="payments", codename="view_stripeevent"),
        # The same grant on both sides: one is kept.
        Permission.objects.get(content_type__app_label="kiosque_shop", codename="view_cardattempt"),
        Permission.objects.get(content_type__app_label="payments", codename="view_cardattempt"),
    )

    call_command("migrate", verbosity=0)
    ContentType.objects.clear_cache()

    assert {
        (ct.pk, ct.app_label, ct.model) for ct in ContentType.objects.filter(model__in=MOVED)
    } == {(back[model], app, model) for model, app in MOVED.items()}
    assert Permission.objects.filter(content_type__model__in=MOVED).count() == 4 * len(MOVED)
    assert sorted(
        treasury.permissions.filter(content_type__model__in=MOVED).values_list(
            "content_type__app_label", "codename"
        )
    ) == [
        ("kiosque", "view_outboxemail"),
        ("payments", "view_cardattempt"),
        ("payments", "view_stripeevent"),
    ]


@pytest.mark.django_db
def test_the_models_and_their_migrations_agree():
    """A state that forgets a moved model's db_table (or any change without its migration) is a
    migration that makemigrations would write: there is none to write."""
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
