"""The index that finds speakers by part of a name or an alias: SQLite FTS5 with the
trigram tokenizer, or PostgreSQL pg_trgm GIN indexes.

A speaker lookup asks "is each of these words somewhere in the name (or in an
alias), in any case?", a ``LIKE '%word%'`` that no b-tree can answer: without this
index it reads every speaker (about 20 ms at 100k names). How services ask it:
``services.name_lookup.name_has_words``.

SQLite: ``speaker_name_search``, one row per speaker (rowid = speaker id): the name,
and the aliases one a line. Triggers on speakers (insert, rename, delete) and on
speaker_aliases (insert, change, delete: merges move aliases) keep it in step; it
holds merged speakers too, as ``speakers`` does (the live filter stays there).
PostgreSQL: GIN trigram indexes on ``lower(name)`` and ``lower(alias)`` serve the
``LIKE`` itself; nothing to keep in step.

Created right after ``speaker_aliases`` (so after ``speakers``) and dropped right
before it, so ``create_all()`` (tests) builds what migration 0011 builds.
``rebuild`` refills it (``flask search rebuild``).
"""

from __future__ import annotations

from sqlalchemy import Table, event
from sqlalchemy.engine import Connection

TABLE = "speaker_name_search"
#: Between a speaker's aliases in the SQLite index: no looked-up word holds one.
ALIAS_SEPARATOR = "\n"
#: PostgreSQL's indexes: not in the models (an expression index for one database only).
POSTGRESQL_INDEXES = ("ix_speakers_name_trigrams", "ix_speaker_aliases_alias_trigrams")

_ALIASES_OF = ("coalesce((SELECT group_concat(alias, char(10)) FROM speaker_aliases "
               "WHERE speaker_id = {speaker}), '')")

SQLITE_CREATE = (
    # Trigrams match any substring of 3 characters or more, folding case (also beyond ASCII).
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
)
SQLITE_FILL = (
    "INSERT INTO speaker_name_search (rowid, name, aliases) "
    f"SELECT s.id, s.name, {_ALIASES_OF.format(speaker='s.id')} FROM speakers s",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS speaker_name_search_alias_delete",
    "DROP TRIGGER IF EXISTS speaker_name_search_alias_update",
    "DROP TRIGGER IF EXISTS speaker_name_search_alias_insert",
    "DROP TRIGGER IF EXISTS speaker_name_search_delete",
    "DROP TRIGGER IF EXISTS speaker_name_search_rename",
    "DROP TRIGGER IF EXISTS speaker_name_search_insert",
    "DROP TABLE IF EXISTS speaker_name_search",
)

POSTGRESQL_CREATE = (
    # pg_trgm is a trusted extension: the database owner may create it.
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_speakers_name_trigrams ON speakers USING gin (lower(name) gin_trgm_ops)",
    "CREATE INDEX ix_speaker_aliases_alias_trigrams ON speaker_aliases USING gin (lower(alias) gin_trgm_ops)",
)
POSTGRESQL_FILL = ()   # an index fills itself
POSTGRESQL_DROP = (
    "DROP INDEX IF EXISTS ix_speaker_aliases_alias_trigrams",
    "DROP INDEX IF EXISTS ix_speakers_name_trigrams",
)

_CREATE = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE}
_FILL = {"sqlite": SQLITE_FILL, "postgresql": POSTGRESQL_FILL}
_DROP = {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}


def _run(table: dict[str, tuple[str, ...]], connection: Connection) -> None:
    # Other databases get no index: the lookup's plain LIKE answers there, only slower.
    for statement in table.get(connection.dialect.name, ()):
        connection.exec_driver_sql(statement)


def create(connection: Connection) -> None:
    _run(_CREATE, connection)


def drop(connection: Connection) -> None:
    _run(_DROP, connection)


def rebuild(connection: Connection) -> None:
    """Drop, create and fill the index from the speakers and aliases as stored."""
    drop(connection)
    create(connection)
    _run(_FILL, connection)


def include_name(name: str | None, type_: str) -> bool:
    """For Alembic's ``include_name``: False for this index's tables (and FTS5's own) and indexes."""
    if type_ == "table" and name and (name == TABLE or name.startswith(TABLE + "_")):
        return False
    return not (type_ == "index" and name in POSTGRESQL_INDEXES)


def attach(speaker_aliases: Table) -> None:
    """Create the index right after the aliases table (the speakers' is there already), drop it right before."""
    event.listen(speaker_aliases, "after_create", lambda target, connection, **kw: create(connection))
    event.listen(speaker_aliases, "before_drop", lambda target, connection, **kw: drop(connection))
