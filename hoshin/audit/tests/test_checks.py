"""check --deploy warns when the audit chain has no key (docs/audit-log.md)."""

from hoshin.audit.checks import audit_key_set


def test_deploy_check_warns_without_the_key(settings):
    settings.HOSHIN_AUDIT_HMAC_KEY = ""
    assert [w.id for w in audit_key_set(None)] == ["hoshin.audit.W001"]
    settings.HOSHIN_AUDIT_HMAC_KEY = "x" * 64
    assert audit_key_set(None) == []
