"""Security-relevant changes to accounts go into the audit trail, however they are made.

Roles go through ``services.user_assign_role`` / ``user_revoke_role``, which record them. The
rest of what decides who may do what lives on Django's own models and is changed by the Django
admin, ``createsuperuser``, a shell or a data migration, none of which calls a service: an
account created or deleted, ``is_active`` / ``is_staff`` / ``is_superuser``, the department
(所属), the username, the password (that it changed, never the hash), groups and permissions of
users, and permissions of groups. Model signals catch every one of these writes; the acting
user is the one the admin set with ``audit_acting_as`` (``admin.py``), otherwise none (a
command or a job). Connected from ``OrgConfig.ready``.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from hoshin.audit.services import audit_current_actor, audit_record

# Fields of the user whose change changes what the account may do (or who it is).
TRACKED = ("username", "is_active", "is_staff", "is_superuser", "department_id", "password")
TRACKED_NAMES = {*TRACKED, "department"}  # as ``save(update_fields=…)`` may name them


def _user_label(user) -> str:
    return user.get_username() or f"#{user.pk}"


def _before_user_save(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._audit_before = None
    if raw or instance.pk is None or instance._state.adding:
        return
    if update_fields is not None and not set(update_fields) & TRACKED_NAMES:
        return  # e.g. last_login at sign-in: nothing to compare, no query
    instance._audit_before = sender.objects.filter(pk=instance.pk).values(*TRACKED).first()


def _after_user_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    actor = audit_current_actor()
    if created:
        audit_record(
            actor=actor,
            verb="user.create",
            target=instance,
            summary=f"職員アカウント {_user_label(instance)} を作成",
            data={
                "is_active": instance.is_active,
                "is_staff": instance.is_staff,
                "is_superuser": instance.is_superuser,
                "department": instance.department_id,
            },
        )
        return
    before = getattr(instance, "_audit_before", None)
    if not before:
        return
    changes = {}
    for field in TRACKED:
        old, new = before[field], getattr(instance, field)
        if old == new:
            continue
        if field == "password":
            if update_fields is not None and set(update_fields) == {"password"}:
                continue  # the hash upgraded at sign-in (same password, newer hasher)
            changes["password"] = "changed"
        else:
            changes[field.removesuffix("_id")] = [old, new]
    if changes:
        audit_record(
            actor=actor,
            verb="user.update",
            target=instance,
            summary=f"職員アカウント {_user_label(instance)} の権限・所属などを変更"
            f"（{'、'.join(changes)}）",
            data=changes,
        )


def _after_user_delete(sender, instance, **kwargs):
    audit_record(
        actor=audit_current_actor(),
        verb="user.delete",
        target=None,
        summary=f"職員アカウント {_user_label(instance)} を削除",
        data={"user": instance.pk, "username": instance.get_username()},
    )


def _permission_names(pks) -> list[str]:
    return sorted(
        f"{app}.{codename}"
        for app, codename in Permission.objects.filter(pk__in=pks).values_list(
            "content_type__app_label", "codename"
        )
    )


def _link_changed(what: str, field, label_of, names_of):
    """A receiver for one many-to-many ``field`` (user↔group, user↔permission, group↔permission)."""
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()

    def receiver(sender, instance, action, reverse, model, pk_set, **kwargs):
        if action == "pre_clear":
            # The links are gone after the clear: remember them now.
            mine, theirs = (target, source) if reverse else (source, target)
            instance._audit_cleared = set(
                through.objects.filter(**{mine: instance.pk}).values_list(theirs, flat=True)
            )
            return
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        pks = pk_set if action != "post_clear" else getattr(instance, "_audit_cleared", set())
        if not pks:
            return
        verb = "add" if action == "post_add" else "remove"
        if reverse:
            # e.g. group.user_set.add(user): one entry per user (group), named as usual.
            owners, names = list(model.objects.filter(pk__in=pks)), names_of([instance.pk])
        else:
            owners, names = [instance], names_of(pks)
        for owner in owners:
            audit_record(
                actor=audit_current_actor(),
                verb=f"{what}.{verb}",
                target=owner,
                summary=f"{label_of(owner)} の{WHAT_LABELS[what]}を"
                f"{'追加' if verb == 'add' else '削除'}: {'、'.join(names)}",
                data={"names": names},
            )

    return receiver


WHAT_LABELS = {
    "user.groups": "グループ",
    "user.permissions": "個別の権限",
    "group.permissions": "権限",
}


def connect() -> None:
    """Hook the account models' signals to the audit trail."""
    from hoshin.org.models import User

    pre_save.connect(_before_user_save, sender=User, dispatch_uid="org_audit_user_pre")
    post_save.connect(_after_user_save, sender=User, dispatch_uid="org_audit_user_post")
    post_delete.connect(_after_user_delete, sender=User, dispatch_uid="org_audit_user_delete")

    def group_names(pks):
        return sorted(Group.objects.filter(pk__in=pks).values_list("name", flat=True))

    def group_label(group) -> str:
        return f"グループ「{group.name}」"

    links = [
        (User.groups.field, "user.groups", _user_label, group_names),
        (User.user_permissions.field, "user.permissions", _user_label, _permission_names),
        (Group.permissions.field, "group.permissions", group_label, _permission_names),
    ]
    for field, what, label_of, names_of in links:
        m2m_changed.connect(
            _link_changed(what, field, label_of, names_of),
            sender=field.remote_field.through,
            weak=False,
            dispatch_uid=f"org_audit_{what}",
        )
