"""The kiosque app's models, moved here from shop/ (app label kiosque_shop) with their tables: only
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
                    name='OutboxEmail',
                    fields=[
                        ('id', models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('subject', models.CharField(max_length=998, verbose_name='subject')),
                        ('from_email', models.CharField(max_length=254, verbose_name='from')),
                        ('to', models.JSONField(default=list, verbose_name='to')),
                        ('cc', models.JSONField(blank=True, default=list)),
                        ('bcc', models.JSONField(blank=True, default=list)),
                        ('reply_to', models.JSONField(blank=True, default=list)),
                        ('headers', models.JSONField(blank=True, default=dict)),
                        ('body', models.TextField(blank=True, verbose_name='text body')),
                        ('html_body', models.TextField(blank=True, verbose_name='HTML body')),
                        ('attachments', models.JSONField(blank=True, default=list)),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('sent_at', models.DateTimeField(blank=True, db_index=True, null=True, verbose_name='sent at')),
                        ('attempts', models.PositiveIntegerField(default=0, verbose_name='attempts')),
                        ('last_error', models.TextField(blank=True, verbose_name='last error')),
                        ('failed_at', models.DateTimeField(blank=True, help_text='Set when every retry failed; staff must look into it.', null=True, verbose_name='given up at')),
                    ],
                    options={
                        'verbose_name': 'outgoing email',
                        'verbose_name_plural': 'outgoing emails',
                        'db_table': 'kiosque_shop_outboxemail',
                        'ordering': ['-created_at'],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
