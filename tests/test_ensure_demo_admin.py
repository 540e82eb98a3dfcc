"""``manage.py ensure_demo_admin``: one superuser, its password shown once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command


def run_command() -> str:
    out = StringIO()
    call_command("ensure_demo_admin", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_creates_the_admin_once_and_prints_a_working_password() -> None:
    # when the command runs on an empty database
    output = run_command()

    # then an admin superuser exists, and the printed password logs it in
    admin = get_user_model().objects.get(username="admin")
    password = output.split("password ", 1)[1].split()[0]
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password(password)


@pytest.mark.django_db
def test_leaves_an_existing_admin_alone() -> None:
    # given the admin exists already
    run_command()
    before = get_user_model().objects.get(username="admin").password

    # when the command runs again
    output = run_command()

    # then it says so, prints no password, and changes nothing
    assert "already exists" in output
    assert "with password" not in output
    assert get_user_model().objects.get(username="admin").password == before
