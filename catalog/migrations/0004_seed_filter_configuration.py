"""Seed the storefront's standard filters, offering the groups that already exist."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from catalog.filtering import assign_standard_groups, seed_standard_filters


def seed(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    seed_standard_filters(apps)
    assign_standard_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_filter_configuration")]

    # Reversing keeps the rows: the tables themselves go with 0003.
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
