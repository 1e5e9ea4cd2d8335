"""`manage.py create_user <username> --role owner|office|technician [--technician ID]
[--password P]`: a user with a role; the password is printed only when generated."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from crm.accounts.services import user_create
from crm.core.errors import ApplicationError
from crm.core.roles import Role


class Command(BaseCommand):
    help = (
        "Create a user with a role. A Technician needs --technician (the technician record's id). "
        "Without --password one is generated and printed once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[r.value.lower() for r in Role])
        parser.add_argument("--technician", type=int, default=None, help="Technician record id.")
        parser.add_argument("--password", default="", help="Generated and printed when left out.")

    def handle(self, *args: Any, **options: Any) -> None:
        role = Role.parse(options["role"])
        assert role is not None  # argparse allowed only the roles' names
        try:
            created = user_create(
                username=options["username"], role=role, password=options["password"],
                technician_id=options["technician"],
            )  # fmt: skip
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"Created {created.user.get_username()} ({role.value}).")
        if created.password_shown:
            self.stdout.write(f"Password (shown once): {created.password_shown}")
