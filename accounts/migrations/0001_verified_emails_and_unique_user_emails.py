import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models.functions import Lower

INDEX = "kiosque_auth_user_email_ci_unique"


def refuse_duplicate_emails(apps, schema_editor):
    """Emails become unique whatever their case: say which accounts share one, if any (an
    operator merges or renames them; nothing is changed behind their back)."""
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    duplicates = (
        User.objects.exclude(email="")
        .annotate(key=Lower("email"))
        .values("key")
        .annotate(n=models.Count("pk"))
        .filter(n__gt=1)
    )
    if duplicates.exists():
        shared = {
            row["key"]: list(
                User.objects.filter(email__iexact=row["key"]).values_list("pk", flat=True)
            )
            for row in duplicates
        }
        raise RuntimeError(
            f"Several accounts share an email (ids by email): {shared}. Give each account its "
            "own email (Django admin), then migrate again."
        )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="VerifiedEmail",
            fields=[
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="verified_email",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                ("email", models.EmailField(max_length=254, verbose_name="email")),
                ("verified_at", models.DateTimeField(verbose_name="verified at")),
            ],
            options={
                "verbose_name": "verified email",
                "verbose_name_plural": "verified emails",
            },
        ),
        migrations.RunPython(refuse_duplicate_emails, migrations.RunPython.noop),
        # One account per email, whatever its case, whoever writes (forms, admin, shell).
        # Same SQL on SQLite and PostgreSQL; accounts without an email are left out.
        migrations.RunSQL(
            f"CREATE UNIQUE INDEX {INDEX} ON auth_user (LOWER(email)) WHERE email <> ''",
            f"DROP INDEX {INDEX}",
        ),
    ]
