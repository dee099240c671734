"""The engine-specific full-text table (see hoshin/search/backends.py)."""

from django.db import migrations

SQLITE = [
    # prefix='1' indexes one-character prefixes, which is how one-character queries are run.
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, body, facets, tokenize='unicode61 remove_diacritics 0', prefix='1')",
]
SQLITE_REVERSE = ["DROP TABLE IF EXISTS search_fts"]

POSTGRESQL = [
    # No foreign key: Django's test flush truncates model tables without CASCADE. The backend
    # deletes documents with their entries, and every query joins the entry table anyway.
    "CREATE TABLE search_document (entry_id integer PRIMARY KEY, document tsvector NOT NULL)",
    "CREATE INDEX search_document_gin ON search_document USING gin (document)",
]
POSTGRESQL_REVERSE = ["DROP TABLE IF EXISTS search_document"]


def forwards(apps, schema_editor):
    statements = SQLITE if schema_editor.connection.vendor == "sqlite" else POSTGRESQL
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    statements = SQLITE_REVERSE if schema_editor.connection.vendor == "sqlite" else POSTGRESQL_REVERSE
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_entries")]

    operations = [migrations.RunPython(forwards, backwards)]
