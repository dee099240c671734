"""Helpers for migrations that move a model from one app to another without moving its table."""


def content_type_mover(old_app: str, new_app: str, model: str):
    """A RunPython function that relabels the model's content type from ``old_app`` to
    ``new_app``, so that permissions granted on it and admin history keep pointing at it (the
    post-migrate signal would otherwise create a second content type and leave these stale)."""

    def move(apps, schema_editor):
        content_types = apps.get_model("contenttypes", "ContentType")
        if content_types.objects.filter(app_label=new_app, model=model).exists():
            return
        content_types.objects.filter(app_label=old_app, model=model).update(app_label=new_app)

    return move
