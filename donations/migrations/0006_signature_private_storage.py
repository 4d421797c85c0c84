"""The association's signature image moves from MEDIA_ROOT (public under /media/) to the
private storage: the file is moved, not copied, and the row keeps pointing at it."""

import magazine.models
from django.core.files.storage import storages
from django.db import migrations, models


def _move(apps, source, target):
    Association = apps.get_model("donations", "Association")
    for association in Association.objects.exclude(signature=""):
        name = association.signature.name
        if target.exists(name) or not source.exists(name):
            continue  # already moved, or lost before: nothing to move
        with source.open(name, "rb") as image:
            saved = target.save(name, image)
        Association.objects.filter(pk=association.pk).update(signature=saved)
        source.delete(name)


def move_signatures_to_private_storage(apps, schema_editor):
    _move(apps, storages["default"], storages["private"])


def move_signatures_back(apps, schema_editor):
    _move(apps, storages["private"], storages["default"])


class Migration(migrations.Migration):
    dependencies = [
        ("donations", "0005_backfill_gift_identities_and_eligibility"),
    ]

    operations = [
        migrations.AlterField(
            model_name="association",
            name="signature",
            field=models.ImageField(
                blank=True,
                storage=magazine.models.private_storage,
                upload_to="association/",
                verbose_name="signature image",
            ),
        ),
        migrations.RunPython(move_signatures_to_private_storage, move_signatures_back),
    ]
