"""`manage.py create_api_token <username> [--name NAME] [--read-only] [--days N]`: print a new
API token once. It acts with the user's role and expires after N days (API_TOKEN_DAYS, 90)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from crm.core.services import api_token_create


class Command(BaseCommand):
    help = (
        "Create an API token for an existing user and print it. Only its hash is stored: "
        "copy it now. Use it as `Authorization: Bearer <token>`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for (shown in admin).")
        parser.add_argument("--read-only", action="store_true", help="Refuse all but reads (403).")
        parser.add_argument("--days", type=int, default=None, help="Days until it expires.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user named {options['username']!r}.")
        if not user.is_active:
            raise CommandError(f"User {options['username']!r} is inactive.")
        if options["days"] is not None and options["days"] < 1:
            raise CommandError("--days must be at least 1.")
        _, raw = api_token_create(
            user=user, name=options["name"], read_only=options["read_only"], days=options["days"]
        )
        self.stdout.write(raw)
