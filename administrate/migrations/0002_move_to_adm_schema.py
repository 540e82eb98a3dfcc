from django.db import migrations

from administrate.schema_move import CREATE_SCHEMA_SQL, FORWARD_SQL, REVERSE_SQL


class Migration(migrations.Migration):
    """Move the administrate tables from ``public`` into the ``adm`` schema.

    The database side is ``administrate.schema_move``: idempotent ``ALTER TABLE … SET
    SCHEMA`` per table, legacy literal names (``public."adm.locations"``) included. The
    state side only records the schema-qualified ``db_table``; ``AlterModelTable`` must
    not touch the database, it would try to *rename* ``locations`` to ``"adm"."locations"``.
    """

    dependencies = [
        ("administrate", "0001_initial"),
    ]

    operations = [
        # Kept on the way back: other objects may live in adm by then.
        migrations.RunSQL(CREATE_SCHEMA_SQL, reverse_sql=migrations.RunSQL.noop),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(sql=list(FORWARD_SQL), reverse_sql=list(REVERSE_SQL)),
            ],
            state_operations=[
                migrations.AlterModelTable(name="location", table='"adm"."locations"'),
                migrations.AlterModelTable(name="venue", table='"adm"."venues"'),
                migrations.AlterModelTable(name="instructor", table='"adm"."instructors"'),
                migrations.AlterModelTable(name="coursetemplate", table='"adm"."course_templates"'),
                migrations.AlterModelTable(name="pricelevel", table='"adm"."price_levels"'),
                migrations.AlterModelTable(
                    name="coursetemplatepricelevel", table='"adm"."course_template_price_levels"'
                ),
                migrations.AlterModelTable(name="customfield", table='"adm"."custom_fields"'),
            ],
        ),
    ]
