"""The search index over quotes: SQLite FTS5, or a PostgreSQL tsvector with a GIN index,
plus what search filters and sorts on, copied beside it.

One document per quote: its words, and the speaker's name (so a search for a name
finds what that person said). Beside it, per quote: the date it was said (its
article's date), the speaker, the verdict, the verdict readers see (the verdict
once published, "unverified" before, NULL when readers do not see the quote at
all: editors judged it not a quote) and the outlet, each with a b-tree index, so
filtering and "newest first" never touch the wide quotes and articles tables.

Triggers keep all of it in step with every write, whoever makes it (quote insert,
change of text, speaker, article, verdict, status or attribution, delete; speaker
rename; article date or outlet change), so no service has to remember to. It is
created and dropped with the ``quotes`` table, so ``create_all()`` (tests) builds
what migrations 0002, 0004, 0007 and 0010 build. ``include_name`` keeps Alembic's
autogenerate from proposing to drop it; ``rebuild`` repairs it (``flask search
rebuild``), e.g. after a batch-mode migration on SQLite recreated a table and
dropped its triggers.
"""

from __future__ import annotations

from sqlalchemy import Table, event
from sqlalchemy.engine import Connection

from . import name_index, page_versions

TABLE = "quote_search"
#: The review statuses whose verdict readers see (ReviewStatus.is_public), as the SQL below has them.
PUBLIC_STATUSES = ("published", "corrected")
#: AttributionState.NOT_A_QUOTE: readers never see such a quote (its public verdict is NULL).
NOT_A_QUOTE = "not_a_quote"

_PUBLIC = ("CASE WHEN {q}.attribution = 'not_a_quote' THEN NULL "
           "WHEN {q}.status IN ('published', 'corrected') THEN {q}.verdict ELSE 'unverified' END")

SQLITE_WORDS_CREATE = (
    # Porter stemming so "voted" finds "vote"; diacritics folded like speaker keys.
    "CREATE VIRTUAL TABLE quote_search USING fts5("
    "text, speaker, tokenize = 'porter unicode61 remove_diacritics 2')",
    """CREATE TRIGGER quote_search_insert AFTER INSERT ON quotes BEGIN
        INSERT INTO quote_search (rowid, text, speaker) VALUES (
            new.id, new.text, coalesce((SELECT name FROM speakers WHERE id = new.speaker_id), ''));
    END""",
    """CREATE TRIGGER quote_search_update AFTER UPDATE OF text, speaker_id ON quotes BEGIN
        DELETE FROM quote_search WHERE rowid = old.id;
        INSERT INTO quote_search (rowid, text, speaker) VALUES (
            new.id, new.text, coalesce((SELECT name FROM speakers WHERE id = new.speaker_id), ''));
    END""",
    """CREATE TRIGGER quote_search_delete AFTER DELETE ON quotes BEGIN
        DELETE FROM quote_search WHERE rowid = old.id;
    END""",
    """CREATE TRIGGER quote_search_speaker AFTER UPDATE OF name ON speakers BEGIN
        UPDATE quote_search SET speaker = new.name
        WHERE rowid IN (SELECT id FROM quotes WHERE speaker_id = new.id);
    END""",
)
_SQLITE_FILTERS_ROW = (
    "SELECT new.id, coalesce(a.published_at, a.created_at), new.speaker_id, new.verdict, "
    + _PUBLIC.format(q="new") + ", lower(a.outlet) FROM articles a WHERE a.id = new.article_id"
)
# What filters and sorts read, beside the FTS5 table (which cannot hold b-tree indexes).
SQLITE_FILTERS_CREATE = (
    """CREATE TABLE quote_search_filters (
        quote_id INTEGER PRIMARY KEY,
        said_at DATETIME NOT NULL,
        speaker_id INTEGER,
        verdict VARCHAR(32) NOT NULL,
        public_verdict VARCHAR(32),
        outlet VARCHAR(200))""",
    "CREATE INDEX ix_quote_search_filters_said_at ON quote_search_filters (said_at, quote_id)",
    "CREATE INDEX ix_quote_search_filters_speaker ON quote_search_filters (speaker_id, said_at)",
    "CREATE INDEX ix_quote_search_filters_verdict ON quote_search_filters (verdict, said_at)",
    "CREATE INDEX ix_quote_search_filters_public ON quote_search_filters (public_verdict, said_at)",
    "CREATE INDEX ix_quote_search_filters_outlet ON quote_search_filters (outlet, said_at)",
    f"""CREATE TRIGGER quote_search_filters_insert AFTER INSERT ON quotes BEGIN
        INSERT INTO quote_search_filters {_SQLITE_FILTERS_ROW};
    END""",
    f"""CREATE TRIGGER quote_search_filters_update
        AFTER UPDATE OF article_id, speaker_id, verdict, status, attribution ON quotes BEGIN
        DELETE FROM quote_search_filters WHERE quote_id = old.id;
        INSERT INTO quote_search_filters {_SQLITE_FILTERS_ROW};
    END""",
    """CREATE TRIGGER quote_search_filters_delete AFTER DELETE ON quotes BEGIN
        DELETE FROM quote_search_filters WHERE quote_id = old.id;
    END""",
    """CREATE TRIGGER quote_search_filters_article
        AFTER UPDATE OF published_at, created_at, outlet ON articles BEGIN
        UPDATE quote_search_filters
        SET said_at = coalesce(new.published_at, new.created_at), outlet = lower(new.outlet)
        WHERE quote_id IN (SELECT id FROM quotes WHERE article_id = new.id);
    END""",
)
SQLITE_CREATE = SQLITE_WORDS_CREATE + SQLITE_FILTERS_CREATE
SQLITE_FILL = (
    "INSERT INTO quote_search (rowid, text, speaker) "
    "SELECT q.id, q.text, coalesce(s.name, '') FROM quotes q LEFT JOIN speakers s ON s.id = q.speaker_id",
    "INSERT INTO quote_search_filters "
    "SELECT q.id, coalesce(a.published_at, a.created_at), q.speaker_id, q.verdict, "
    + _PUBLIC.format(q="q") + ", lower(a.outlet) FROM quotes q JOIN articles a ON a.id = q.article_id",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS quote_search_filters_article",
    "DROP TRIGGER IF EXISTS quote_search_filters_delete",
    "DROP TRIGGER IF EXISTS quote_search_filters_update",
    "DROP TRIGGER IF EXISTS quote_search_filters_insert",
    "DROP TABLE IF EXISTS quote_search_filters",
    "DROP TRIGGER IF EXISTS quote_search_speaker",
    "DROP TRIGGER IF EXISTS quote_search_delete",
    "DROP TRIGGER IF EXISTS quote_search_update",
    "DROP TRIGGER IF EXISTS quote_search_insert",
    "DROP TABLE IF EXISTS quote_search",
)

POSTGRESQL_CREATE = (
    # English stemming with accents folded, so "sanchez" finds "Sánchez" (unaccent is a
    # trusted extension: the database owner may create it).
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION factcheck_english (COPY = english)",
    "ALTER TEXT SEARCH CONFIGURATION factcheck_english "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem",
    """CREATE TABLE quote_search (
        quote_id integer PRIMARY KEY REFERENCES quotes (id) ON DELETE CASCADE,
        document tsvector NOT NULL,
        said_at timestamp without time zone NOT NULL,
        speaker_id integer,
        verdict varchar(32) NOT NULL,
        public_verdict varchar(32),
        outlet varchar(200)
    )""",
    "CREATE INDEX ix_quote_search_document ON quote_search USING gin (document)",
    "CREATE INDEX ix_quote_search_said_at ON quote_search (said_at, quote_id)",
    "CREATE INDEX ix_quote_search_speaker ON quote_search (speaker_id, said_at)",
    "CREATE INDEX ix_quote_search_verdict ON quote_search (verdict, said_at)",
    "CREATE INDEX ix_quote_search_public ON quote_search (public_verdict, said_at)",
    "CREATE INDEX ix_quote_search_outlet ON quote_search (outlet, said_at)",
    # The words weigh more than the speaker's name when ranking.
    """CREATE FUNCTION quote_search_document(quote_text text, speaker_name text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE AS $$
        SELECT setweight(to_tsvector('factcheck_english', coalesce(quote_text, '')), 'A')
            || setweight(to_tsvector('factcheck_english', coalesce(speaker_name, '')), 'B')
    $$""",
    f"""CREATE FUNCTION quote_search_on_quote() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO quote_search (quote_id, document, said_at, speaker_id, verdict, public_verdict, outlet)
        SELECT NEW.id,
            quote_search_document(NEW.text, (SELECT name FROM speakers WHERE id = NEW.speaker_id)),
            coalesce(a.published_at, a.created_at), NEW.speaker_id, NEW.verdict,
            {_PUBLIC.format(q="NEW")}, lower(a.outlet)
        FROM articles a WHERE a.id = NEW.article_id
        ON CONFLICT (quote_id) DO UPDATE SET document = EXCLUDED.document, said_at = EXCLUDED.said_at,
            speaker_id = EXCLUDED.speaker_id, verdict = EXCLUDED.verdict,
            public_verdict = EXCLUDED.public_verdict, outlet = EXCLUDED.outlet;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER quote_search_quote
        AFTER INSERT OR UPDATE OF text, speaker_id, article_id, verdict, status, attribution ON quotes
        FOR EACH ROW EXECUTE FUNCTION quote_search_on_quote()""",
    """CREATE FUNCTION quote_search_on_speaker() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE quote_search SET document = quote_search_document(quotes.text, NEW.name)
        FROM quotes WHERE quotes.speaker_id = NEW.id AND quote_search.quote_id = quotes.id;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER quote_search_speaker AFTER UPDATE OF name ON speakers
        FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
        EXECUTE FUNCTION quote_search_on_speaker()""",
    """CREATE FUNCTION quote_search_on_article() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE quote_search SET said_at = coalesce(NEW.published_at, NEW.created_at),
            outlet = lower(NEW.outlet)
        FROM quotes WHERE quotes.article_id = NEW.id AND quote_search.quote_id = quotes.id;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER quote_search_article AFTER UPDATE OF published_at, created_at, outlet ON articles
        FOR EACH ROW EXECUTE FUNCTION quote_search_on_article()""",
)
POSTGRESQL_FILL = (
    "INSERT INTO quote_search (quote_id, document, said_at, speaker_id, verdict, public_verdict, outlet) "
    "SELECT q.id, quote_search_document(q.text, s.name), coalesce(a.published_at, a.created_at), "
    "q.speaker_id, q.verdict, " + _PUBLIC.format(q="q") + ", lower(a.outlet) "
    "FROM quotes q JOIN articles a ON a.id = q.article_id LEFT JOIN speakers s ON s.id = q.speaker_id"
)
POSTGRESQL_DROP = (
    "DROP TRIGGER IF EXISTS quote_search_article ON articles",
    "DROP FUNCTION IF EXISTS quote_search_on_article()",
    "DROP TRIGGER IF EXISTS quote_search_speaker ON speakers",
    "DROP TRIGGER IF EXISTS quote_search_quote ON quotes",
    "DROP FUNCTION IF EXISTS quote_search_on_speaker()",
    "DROP FUNCTION IF EXISTS quote_search_on_quote()",
    "DROP TABLE IF EXISTS quote_search",
    "DROP FUNCTION IF EXISTS quote_search_document(text, text)",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS factcheck_english",
)

_CREATE = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE}
_FILL = {"sqlite": SQLITE_FILL, "postgresql": POSTGRESQL_FILL}
_DROP = {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}


class UnsupportedDatabase(RuntimeError):
    """Full-text search is built for SQLite and PostgreSQL only."""


def _statements(table: dict[str, tuple[str, ...] | str], connection: Connection):
    name = connection.dialect.name
    if name not in table:
        raise UnsupportedDatabase(f"no full-text index for the {name} database")
    found = table[name]
    return (found,) if isinstance(found, str) else found


def create(connection: Connection) -> None:
    for statement in _statements(_CREATE, connection):
        connection.exec_driver_sql(statement)


def drop(connection: Connection) -> None:
    for statement in _statements(_DROP, connection):
        connection.exec_driver_sql(statement)


def rebuild(connection: Connection) -> None:
    """Drop, create and fill the index from the quotes as stored (repair, or after a bulk load)."""
    drop(connection)
    create(connection)
    for statement in _statements(_FILL, connection):
        connection.exec_driver_sql(statement)


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic ``include_name`` hook: leave alone what triggers keep beside the models (the
    search indexes over quotes and speaker names, FTS5's own tables, the article page versions)."""
    if type_ == "table" and name and (name == TABLE or name.startswith(TABLE + "_")):
        return False
    return name_index.include_name(name, type_) and page_versions.include_name(name, type_)


def attach(quotes: Table) -> None:
    """Create the index right after the quotes table, drop it right before."""
    event.listen(quotes, "after_create", lambda target, connection, **kw: create(connection))
    event.listen(quotes, "before_drop", lambda target, connection, **kw: drop(connection))
