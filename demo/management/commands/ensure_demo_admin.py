"""``manage.py ensure_demo_admin``: a superuser for the demo, password printed once."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

DEFAULT_USERNAME = "admin"


def ensure_demo_admin(username: str = DEFAULT_USERNAME) -> str | None:
    """Create the superuser unless it exists; return its new password, or None if it existed."""
    user_model = get_user_model()
    with transaction.atomic():
        if user_model.objects.filter(username=username).exists():
            return None
        password = secrets.token_urlsafe(12)
        user_model.objects.create_superuser(username=username, email="", password=password)
    return password


class Command(BaseCommand):
    help = (
        "Create the demo superuser with a random password, printed once. "
        "Does nothing if the user already exists."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--username",
            default=DEFAULT_USERNAME,
            help=f"Name of the superuser (default: {DEFAULT_USERNAME}).",
        )

    def handle(self, *args: object, username: str, verbosity: int, **options: object) -> None:
        password = ensure_demo_admin(username)
        if password is None:
            if verbosity >= 1:
                self.stdout.write(
                    f"Superuser {username!r} already exists; its password is unchanged."
                )
            return
        # Printed whatever the verbosity: this is the only time anyone sees it.
        self.stdout.write(
            self.style.SUCCESS(
                f"Created superuser {username!r} with password {password} "
                "(shown once; log in at /admin/)."
            )
        )
