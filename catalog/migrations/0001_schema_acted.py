from django.db import migrations


class Migration(migrations.Migration):
    """Create the ``acted`` schema before any of its tables."""

    initial = True
    dependencies: list = []

    operations = [
        migrations.RunSQL("CREATE SCHEMA IF NOT EXISTS acted", reverse_sql=migrations.RunSQL.noop),
    ]
