"""The payments app's models, moved here from shop/ (app label kiosque_shop) with their tables: only
Django's state moves (the tables keep their names, see Meta.db_table). Their content types
follow in kiosque_shop's 0004, which deletes them from shop's state."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    # The tables were made by shop's migrations (before the move); a later migration of
    # this app that alters them must run after them, on a fresh database too.
    dependencies = [
        ("kiosque_shop", "0003_card_attempts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CardAttempt',
                    fields=[
                        ('id', models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('setup_intent_id', models.CharField(max_length=255, unique=True, verbose_name='Stripe SetupIntent')),
                        ('customer_id', models.CharField(blank=True, db_index=True, max_length=255, verbose_name='Stripe customer')),
                        ('client_ip', models.CharField(blank=True, db_index=True, max_length=64, verbose_name='client address')),
                        ('email', models.EmailField(blank=True, db_index=True, max_length=254, verbose_name='email')),
                        ('failures', models.PositiveIntegerField(default=0, verbose_name='refusals')),
                        ('canceled_at', models.DateTimeField(blank=True, null=True, verbose_name='cancelled at')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created at')),
                    ],
                    options={
                        'verbose_name': 'card attempt',
                        'verbose_name_plural': 'card attempts',
                        'db_table': 'kiosque_shop_cardattempt',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='StripeEvent',
                    fields=[
                        ('id', models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('event_id', models.CharField(max_length=255, unique=True, verbose_name='Stripe event')),
                        ('type', models.CharField(db_index=True, max_length=255, verbose_name='type')),
                        ('payload', models.JSONField(verbose_name='payload')),
                        ('received_at', models.DateTimeField(auto_now_add=True, verbose_name='received at')),
                        ('handled', models.BooleanField(default=False, help_text='False for the event types Kiosque ignores.', verbose_name='handled')),
                    ],
                    options={
                        'verbose_name': 'Stripe event',
                        'verbose_name_plural': 'Stripe events',
                        'db_table': 'kiosque_shop_stripeevent',
                        'ordering': ['-received_at'],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
