"""Capture every committed write to the tables a search document is built from.

Statement-level triggers with transition tables write one outbox row per distinct
anchor a statement touched — a 10,000-row ``UPDATE`` of prices costs one extra
``INSERT … SELECT`` — and ``NOTIFY`` the ``sync --follow`` workers, which PostgreSQL
delivers only if the transaction commits. The trigger SQL is written out here, not
imported, so that this migration means the same thing whatever the code becomes.
"""

import django.utils.timezone
from django.db import migrations, models
from django.db.models import Q

CHANNEL = "search_index_changes"
VERSION_SEQUENCE = "search_index_document_version"

# Captured table (schema ``acted``) -> (anchor table recorded, column naming the anchor).
# A child row records its parent so that moving or deleting it still names what it left.
CAPTURED = {
    "subjects": ("subjects", "id"),
    "exam_sessions": ("exam_sessions", "id"),
    "exam_session_subjects": ("exam_session_subjects", "id"),
    "product_groups": ("product_groups", "id"),
    "products": ("products", "id"),
    "product_product_groups": ("products", "product_id"),
    "product_variations": ("product_variations", "id"),
    "product_product_variations": ("product_product_variations", "id"),
    "store_products": ("store_products", "id"),
    "prices": ("store_products", "store_product_id"),
    "tutorial_events": ("store_products", "store_product_id"),
    "tutorial_sessions": ("tutorial_events", "tutorial_event_id"),
}

EVENTS = {
    "INSERT": "REFERENCING NEW TABLE AS new_rows",
    "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "REFERENCING OLD TABLE AS old_rows",
}


def _install(table: str, anchor: str, column: str) -> str:
    function = f"search_index_capture_{table}"
    record = (
        'INSERT INTO search_index_changes ("table", row_id, txid, changed_at) '
        f"SELECT '{anchor}', anchor, pg_current_xact_id()::text::bigint, now() FROM ({{rows}}) "
        "AS touched (anchor) WHERE anchor IS NOT NULL;"
    )
    sql = [
        f"""
        CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                {record.format(rows=f"SELECT DISTINCT {column} FROM new_rows")}
            ELSIF TG_OP = 'UPDATE' THEN
                {
            record.format(rows=f"SELECT {column} FROM old_rows UNION SELECT {column} FROM new_rows")
        }
            ELSE
                {record.format(rows=f"SELECT DISTINCT {column} FROM old_rows")}
            END IF;
            IF FOUND THEN
                PERFORM pg_notify('{CHANNEL}', '');
            END IF;
            RETURN NULL;
        END
        $$;
        """
    ]
    for event, transition in EVENTS.items():
        sql.append(
            f"CREATE TRIGGER search_index_capture_{event.lower()} AFTER {event} "
            f"ON acted.{table} {transition} FOR EACH STATEMENT EXECUTE FUNCTION {function}();"
        )
    return "\n".join(sql)


def _uninstall(table: str) -> str:
    drops = [
        f"DROP TRIGGER IF EXISTS search_index_capture_{event.lower()} ON acted.{table};"
        for event in EVENTS
    ]
    return "\n".join([*drops, f"DROP FUNCTION IF EXISTS search_index_capture_{table}();"])


class Migration(migrations.Migration):
    dependencies = [
        ("search_index", "0001_initial"),
        ("catalog", "0002_initial"),
        ("tutorials", "0001_initial"),
    ]

    operations = [
        migrations.RenameField("indexchange", "store_product_id", "row_id"),
        migrations.AlterField("indexchange", "row_id", models.BigIntegerField()),
        migrations.AddField(
            "indexchange",
            "table",
            models.CharField(default="store_products", max_length=40),
            preserve_default=False,
        ),
        migrations.AddField(
            "indexchange", "txid", models.BigIntegerField(default=0), preserve_default=False
        ),
        migrations.AlterField(
            "indexchange",
            "changed_at",
            models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AlterField(
            "indexchange", "indexed_at", models.DateTimeField(blank=True, null=True)
        ),
        migrations.AlterModelOptions("indexchange", {"ordering": ["id"]}),
        migrations.AddIndex(
            "indexchange",
            models.Index(
                fields=["id"], condition=Q(indexed_at__isnull=True), name="search_changes_pending"
            ),
        ),
        migrations.AddIndex(
            "indexchange", models.Index(fields=["txid"], name="search_changes_txid")
        ),
        migrations.RunSQL(
            f"CREATE SEQUENCE IF NOT EXISTS {VERSION_SEQUENCE};",
            f"DROP SEQUENCE IF EXISTS {VERSION_SEQUENCE};",
        ),
        *(
            migrations.RunSQL(_install(table, anchor, column), _uninstall(table))
            for table, (anchor, column) in CAPTURED.items()
        ),
    ]
