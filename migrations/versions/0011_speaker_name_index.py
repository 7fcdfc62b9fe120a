"""speakers found by part of a name or alias from an index: FTS5 trigrams or pg_trgm

Revision ID: 0011
Revises: 0010
Created: 2026-11-28

The search filter, the review queue and the speakers list look speakers up by
``LIKE '%word%'`` on names and aliases, which read every speaker. SQLite: an FTS5
table with the trigram tokenizer, one row per speaker (name, aliases one a line),
kept by triggers on speakers and speaker_aliases and filled here from the rows
stored. PostgreSQL: GIN trigram indexes on lower(name) and lower(alias), which
serve those LIKEs as they are. The DDL is written out here so this revision never
changes.
"""
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_ALIASES_OF = ("coalesce((SELECT group_concat(alias, char(10)) FROM speaker_aliases "
               "WHERE speaker_id = {speaker}), '')")

SQLITE_UP = (
    "CREATE VIRTUAL TABLE speaker_name_search USING fts5(name, aliases, tokenize = 'trigram')",
    f"""CREATE TRIGGER speaker_name_search_insert AFTER INSERT ON speakers BEGIN
        INSERT INTO speaker_name_search (rowid, name, aliases)
        VALUES (new.id, new.name, {_ALIASES_OF.format(speaker="new.id")});
    END""",
    """CREATE TRIGGER speaker_name_search_rename AFTER UPDATE OF name ON speakers BEGIN
        UPDATE speaker_name_search SET name = new.name WHERE rowid = new.id;
    END""",
    """CREATE TRIGGER speaker_name_search_delete AFTER DELETE ON speakers BEGIN
        DELETE FROM speaker_name_search WHERE rowid = old.id;
    END""",
    f"""CREATE TRIGGER speaker_name_search_alias_insert AFTER INSERT ON speaker_aliases BEGIN
        UPDATE speaker_name_search SET aliases = {_ALIASES_OF.format(speaker="new.speaker_id")}
        WHERE rowid = new.speaker_id;
    END""",
    f"""CREATE TRIGGER speaker_name_search_alias_update AFTER UPDATE OF alias, speaker_id ON speaker_aliases
    BEGIN
        UPDATE speaker_name_search SET aliases = {_ALIASES_OF.format(speaker="speaker_name_search.rowid")}
        WHERE rowid IN (old.speaker_id, new.speaker_id);
    END""",
    f"""CREATE TRIGGER speaker_name_search_alias_delete AFTER DELETE ON speaker_aliases BEGIN
        UPDATE speaker_name_search SET aliases = {_ALIASES_OF.format(speaker="old.speaker_id")}
        WHERE rowid = old.speaker_id;
    END""",
    "INSERT INTO speaker_name_search (rowid, name, aliases) "
    f"SELECT s.id, s.name, {_ALIASES_OF.format(speaker='s.id')} FROM speakers s",
)
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS speaker_name_search_alias_delete",
    "DROP TRIGGER IF EXISTS speaker_name_search_alias_update",
    "DROP TRIGGER IF EXISTS speaker_name_search_alias_insert",
    "DROP TRIGGER IF EXISTS speaker_name_search_delete",
    "DROP TRIGGER IF EXISTS speaker_name_search_rename",
    "DROP TRIGGER IF EXISTS speaker_name_search_insert",
    "DROP TABLE IF EXISTS speaker_name_search",
)

POSTGRESQL_UP = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_speakers_name_trigrams ON speakers USING gin (lower(name) gin_trgm_ops)",
    "CREATE INDEX ix_speaker_aliases_alias_trigrams ON speaker_aliases USING gin (lower(alias) gin_trgm_ops)",
)
POSTGRESQL_DOWN = (
    # pg_trgm stays: other things may use it, and it is harmless.
    "DROP INDEX IF EXISTS ix_speaker_aliases_alias_trigrams",
    "DROP INDEX IF EXISTS ix_speakers_name_trigrams",
)


def _run(statements):
    connection = op.get_bind()
    for statement in statements:
        connection.exec_driver_sql(statement)


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_UP)
    elif dialect == "postgresql":
        _run(POSTGRESQL_UP)
    else:
        raise NotImplementedError(f"no speaker name index for the {dialect} database")


def downgrade():
    dialect = op.get_bind().dialect.name
    _run(SQLITE_DOWN if dialect == "sqlite" else POSTGRESQL_DOWN)
