"""kiosque's models moved here from shop/ (app label kiosque_shop) with their tables: only
Django's state moves (the tables keep their names, see Meta.db_table), and their content
types follow, so that permissions given on them stay."""

from django.db import migrations, models


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("outboxemail",):
        if not ContentType.objects.filter(app_label="kiosque", model=model).exists():
            ContentType.objects.filter(app_label="kiosque_shop", model=model).update(
                app_label="kiosque"
            )


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="kiosque", model__in=("outboxemail",)).update(
        app_label="kiosque_shop"
    )


class Migration(migrations.Migration):
    initial = True

    # The tables were made by shop's migrations (before the move).
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
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
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
