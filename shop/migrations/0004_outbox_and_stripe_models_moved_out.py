"""The outbox went to kiosque/, Stripe's events and the card attempts to payments/: their
tables stay (the new apps' first migrations take them over in Django's state only)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("kiosque_shop", "0003_card_attempts"),
        ("kiosque", "0001_initial"),
        ("payments", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="CardAttempt"),
                migrations.DeleteModel(name="OutboxEmail"),
                migrations.DeleteModel(name="StripeEvent"),
            ],
            database_operations=[],
        ),
    ]
