"""The outbox went to kiosque/, Stripe's events and the card attempts to payments/: their
tables stay (the new apps' first migrations take them over in Django's state only), and
their content types follow them here, ids kept, so that the permissions given on them and the
admin's history stay. Unapplied (``migrate kiosque_shop 0003``), both come back."""

from django.db import migrations

from kiosque.migration_operations import MoveContentTypes


class Migration(migrations.Migration):
    dependencies = [
        ("kiosque_shop", "0003_card_attempts"),
        ("kiosque", "0001_initial"),
        ("payments", "0001_initial"),
        # What MoveContentTypes reads and re-points: content types, permissions and their
        # grants, the admin's history.
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    operations = [
        MoveContentTypes(from_app="kiosque_shop", to_app="kiosque", models=["outboxemail"]),
        MoveContentTypes(
            from_app="kiosque_shop", to_app="payments", models=["stripeevent", "cardattempt"]
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="CardAttempt"),
                migrations.DeleteModel(name="OutboxEmail"),
                migrations.DeleteModel(name="StripeEvent"),
            ],
            database_operations=[],
        ),
    ]
