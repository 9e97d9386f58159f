"""`manage.py create_api_token`: issue, replace and revoke tokens; the key never reaches the log."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from inclusion.core.models import AuditLog


def _run(*args):
    out, err = StringIO(), StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_the_printed_key_authenticates_and_the_audit_log_does_not_hold_it(users, plan):
    key, _ = _run("viewer")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(reverse("api-plan-list")).status_code == 200
    entry = AuditLog.objects.get(object_type="authtoken.token")
    assert entry.object_id == str(users["viewer"].pk) and entry.operation == "create"
    assert key not in str(entry.__dict__)


def test_a_second_token_needs_reset_and_reset_retires_the_old_key(users):
    old, _ = _run("viewer")
    with pytest.raises(CommandError, match="already has a token"):
        _run("viewer")
    new, _ = _run("viewer", "--reset")
    assert new != old and Token.objects.get(user=users["viewer"]).key == new


def test_revoke_removes_the_token(users):
    _run("viewer")
    out, _ = _run("viewer", "--revoke")
    assert "Revoked" in out and not Token.objects.filter(user=users["viewer"]).exists()
    assert AuditLog.objects.filter(object_type="authtoken.token", operation="delete").count() == 1


def test_unknown_and_inactive_users_get_no_token(users):
    with pytest.raises(CommandError, match="No user named"):
        _run("nobody")
    users["viewer"].is_active = False
    users["viewer"].save()
    with pytest.raises(CommandError, match="not active"):
        _run("viewer")
