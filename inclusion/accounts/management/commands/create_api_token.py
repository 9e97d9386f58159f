"""`manage.py create_api_token USERNAME`: issue, replace or revoke a user's API token.

The key is printed once, when it is made, and never written to the audit log; the log
records that a token was issued, replaced or revoked, for whom and by which command.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token

from inclusion.accounts.models import User
from inclusion.core import audit
from inclusion.core.models import AuditLog

VIA = "command: create_api_token"


def _log(user: User, operation: str, note: str) -> None:
    audit.log_event(
        operation,
        via=VIA,
        object_type="authtoken.token",
        # The token's own primary key is the secret key: name the user instead.
        object_id=str(user.pk),
        object_repr=f"API token of {user.get_username()}",
        partnership_id=user.partnership_id,
        note=note,
    )


@transaction.atomic
def api_token_create(*, user: User, reset: bool = False) -> str:
    """A new token for `user`; with `reset`, replacing the one they have. Returns the key."""
    if not user.is_active:
        raise CommandError(
            f"{user.get_username()} is not active; an inactive user's token is refused"
        )
    existing = Token.objects.filter(user=user).first()
    if existing and not reset:
        raise CommandError(
            f"{user.get_username()} already has a token. Keys are shown only when made: "
            "use --reset to replace it (the old key stops working) or --revoke to remove it"
        )
    if existing:
        existing.delete()
    token = Token.objects.create(user=user)
    _log(user, AuditLog.Operation.CREATE, "replaced the previous token" if existing else "issued")
    return token.key


@transaction.atomic
def api_token_revoke(*, user: User) -> bool:
    """Remove the user's token; False when they had none."""
    deleted, _ = Token.objects.filter(user=user).delete()
    if deleted:
        _log(user, AuditLog.Operation.DELETE, "revoked")
    return bool(deleted)


class Command(BaseCommand):
    help = (
        "Issue an API token for a user and print it (once). "
        "Send it as the header 'Authorization: Token <key>' (docs/api.md)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--reset", action="store_true", help="Replace the user's token")
        group.add_argument("--revoke", action="store_true", help="Remove the user's token")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named '{username}'")
        if options["revoke"]:
            if api_token_revoke(user=user):
                self.stdout.write(self.style.SUCCESS(f"Revoked the API token of {username}."))
            else:
                self.stdout.write(f"{username} had no API token.")
            return
        key = api_token_create(user=user, reset=options["reset"])
        if not user.organisation_id:
            self.stderr.write(
                self.style.WARNING(
                    f"{username} belongs to no organisation, so the API will show them nothing."
                )
            )
        self.stdout.write(key)
