"""Migration operations for models that change app and keep their tables.

A model moved to another app keeps its table (Meta.db_table) and its rows; what Django keys by
app label must follow it too: its content type, so that the permissions given on it, the
admin's history of its rows and any generic relation stay with it.
"""

from django.db import migrations


class MoveContentTypes(migrations.RunPython):
    """Relabels the content types of ``models`` from ``from_app`` to ``to_app`` (back when
    unapplied), keeping their ids.

    It belongs in the migration that deletes the models from ``from_app``'s state, so that
    ``migrate from_app <the migration before>`` takes them back. When both apps have one (a
    partial rollback lets post_migrate make the other), they are merged into the older row:
    nothing that points at either, grants included, is lost.
    """

    def __init__(self, *, from_app, to_app, models):
        self.from_app, self.to_app, self.models = from_app, to_app, tuple(models)
        super().__init__(self.forwards, self.backwards)

    def forwards(self, apps, schema_editor):
        for model in self.models:
            move_content_type(
                apps, schema_editor.connection.alias, model, self.from_app, self.to_app
            )

    def backwards(self, apps, schema_editor):
        for model in self.models:
            move_content_type(
                apps, schema_editor.connection.alias, model, self.to_app, self.from_app
            )

    def deconstruct(self):
        kwargs = {"from_app": self.from_app, "to_app": self.to_app, "models": list(self.models)}
        return (self.__class__.__qualname__, [], kwargs)

    def describe(self):
        return f"Move the content types of {', '.join(self.models)} to {self.to_app}"


def move_content_type(apps, using, model, from_app, to_app):
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(using)
    moving = content_types.filter(app_label=from_app, model=model).first()
    if moving is None:
        return  # a fresh database: post_migrate will make it under its new label
    there = content_types.filter(app_label=to_app, model=model).first()
    if there is not None:
        _merge_content_types(apps, using, keep=moving, drop=there)
    moving.app_label = to_app
    moving.save(update_fields=["app_label"])


def _merge_content_types(apps, using, *, keep, drop):
    Permission = apps.get_model("auth", "Permission")
    for permission in Permission.objects.using(using).filter(content_type=drop):
        twin = Permission.objects.using(using).filter(
            content_type=keep, codename=permission.codename
        )
        if twin.exists():
            _move_rows(apps, using, "auth.permission", drop=permission, keep=twin.get())
            permission.delete()
        else:
            permission.content_type = keep
            permission.save(update_fields=["content_type"])
    _move_rows(apps, using, "contenttypes.contenttype", drop=drop, keep=keep)
    drop.delete()


def _move_rows(apps, using, target, *, drop, keep):
    """Points every row of the state's models that refers to ``drop`` (a ``target``) at ``keep``;
    a link row (a grant) that ``keep`` already has is deleted rather than doubled."""
    for model in apps.get_models(include_auto_created=True):
        if model._meta.label_lower == "auth.permission":
            continue  # handled by codename above
        for field in model._meta.concrete_fields:
            if not field.many_to_one or field.related_model._meta.label_lower != target:
                continue
            rows = model._base_manager.using(using).filter(**{field.name: drop})
            if model._meta.auto_created:  # a many-to-many's table: one row per pair
                (other,) = (f for f in model._meta.concrete_fields if f.many_to_one and f != field)
                kept = model._base_manager.using(using).filter(**{field.name: keep})
                rows.filter(**{f"{other.attname}__in": kept.values(other.attname)}).delete()
            rows.update(**{field.name: keep})
