"""search index: speaker, verdict, readers' verdict and outlet beside each quote's date

Revision ID: 0007
Revises: 0006
Created: 2026-11-27

Filters and "newest first" then read the index alone, never the wide quotes and
articles tables. SQLite: quote_search_filters replaces 0004's quote_search_dates;
PostgreSQL: columns of quote_search. Kept by triggers (quote verdict and status
changes included). The DDL is written out here so this revision never changes.
"""
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

PUBLIC = "CASE WHEN {q}.status IN ('published', 'corrected') THEN {q}.verdict ELSE 'unverified' END"
SQLITE_ROW = (
    "SELECT new.id, coalesce(a.published_at, a.created_at), new.speaker_id, new.verdict, "
    + PUBLIC.format(q="new") + ", lower(a.outlet) FROM articles a WHERE a.id = new.article_id"
)

SQLITE_DATES_DROP = (
    "DROP TRIGGER IF EXISTS quote_search_dates_article",
    "DROP TRIGGER IF EXISTS quote_search_dates_delete",
    "DROP TRIGGER IF EXISTS quote_search_dates_move",
    "DROP TRIGGER IF EXISTS quote_search_dates_insert",
    "DROP TABLE IF EXISTS quote_search_dates",
)
SQLITE_FILTERS_UP = (
    """CREATE TABLE quote_search_filters (
        quote_id INTEGER PRIMARY KEY,
        said_at DATETIME NOT NULL,
        speaker_id INTEGER,
        verdict VARCHAR(32) NOT NULL,
        public_verdict VARCHAR(32) NOT NULL,
        outlet VARCHAR(200))""",
    "CREATE INDEX ix_quote_search_filters_said_at ON quote_search_filters (said_at, quote_id)",
    "CREATE INDEX ix_quote_search_filters_speaker ON quote_search_filters (speaker_id, said_at)",
    "CREATE INDEX ix_quote_search_filters_verdict ON quote_search_filters (verdict, said_at)",
    "CREATE INDEX ix_quote_search_filters_public ON quote_search_filters (public_verdict, said_at)",
    "CREATE INDEX ix_quote_search_filters_outlet ON quote_search_filters (outlet, said_at)",
    f"""CREATE TRIGGER quote_search_filters_insert AFTER INSERT ON quotes BEGIN
        INSERT INTO quote_search_filters {SQLITE_ROW};
    END""",
    f"""CREATE TRIGGER quote_search_filters_update
        AFTER UPDATE OF article_id, speaker_id, verdict, status ON quotes BEGIN
        DELETE FROM quote_search_filters WHERE quote_id = old.id;
        INSERT INTO quote_search_filters {SQLITE_ROW};
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
    "INSERT INTO quote_search_filters "
    "SELECT q.id, coalesce(a.published_at, a.created_at), q.speaker_id, q.verdict, "
    + PUBLIC.format(q="q") + ", lower(a.outlet) FROM quotes q JOIN articles a ON a.id = q.article_id",
)
SQLITE_FILTERS_DOWN = (
    "DROP TRIGGER IF EXISTS quote_search_filters_article",
    "DROP TRIGGER IF EXISTS quote_search_filters_delete",
    "DROP TRIGGER IF EXISTS quote_search_filters_update",
    "DROP TRIGGER IF EXISTS quote_search_filters_insert",
    "DROP TABLE IF EXISTS quote_search_filters",
)
# 0004's table, for the way down.
SQLITE_DATES_UP = (
    """CREATE TABLE quote_search_dates (
        quote_id INTEGER PRIMARY KEY, said_at DATETIME NOT NULL)""",
    "CREATE INDEX ix_quote_search_dates_said_at ON quote_search_dates (said_at, quote_id)",
    """CREATE TRIGGER quote_search_dates_insert AFTER INSERT ON quotes BEGIN
        INSERT INTO quote_search_dates (quote_id, said_at) SELECT new.id,
            coalesce(published_at, created_at) FROM articles WHERE id = new.article_id;
    END""",
    """CREATE TRIGGER quote_search_dates_move AFTER UPDATE OF article_id ON quotes BEGIN
        UPDATE quote_search_dates SET said_at = (SELECT coalesce(published_at, created_at)
            FROM articles WHERE id = new.article_id) WHERE quote_id = new.id;
    END""",
    """CREATE TRIGGER quote_search_dates_delete AFTER DELETE ON quotes BEGIN
        DELETE FROM quote_search_dates WHERE quote_id = old.id;
    END""",
    """CREATE TRIGGER quote_search_dates_article AFTER UPDATE OF published_at, created_at ON articles BEGIN
        UPDATE quote_search_dates SET said_at = coalesce(new.published_at, new.created_at)
        WHERE quote_id IN (SELECT id FROM quotes WHERE article_id = new.id);
    END""",
    "INSERT INTO quote_search_dates (quote_id, said_at) "
    "SELECT q.id, coalesce(a.published_at, a.created_at) FROM quotes q JOIN articles a ON a.id = q.article_id",
)

POSTGRESQL_UP = (
    "ALTER TABLE quote_search ADD COLUMN speaker_id integer, ADD COLUMN verdict varchar(32), "
    "ADD COLUMN public_verdict varchar(32), ADD COLUMN outlet varchar(200)",
    "UPDATE quote_search SET speaker_id = q.speaker_id, verdict = q.verdict, "
    "public_verdict = " + PUBLIC.format(q="q") + ", outlet = lower(a.outlet) "
    "FROM quotes q JOIN articles a ON a.id = q.article_id WHERE q.id = quote_search.quote_id",
    "ALTER TABLE quote_search ALTER COLUMN verdict SET NOT NULL, ALTER COLUMN public_verdict SET NOT NULL",
    "CREATE INDEX ix_quote_search_speaker ON quote_search (speaker_id, said_at)",
    "CREATE INDEX ix_quote_search_verdict ON quote_search (verdict, said_at)",
    "CREATE INDEX ix_quote_search_public ON quote_search (public_verdict, said_at)",
    "CREATE INDEX ix_quote_search_outlet ON quote_search (outlet, said_at)",
    "DROP TRIGGER quote_search_quote ON quotes",
    f"""CREATE OR REPLACE FUNCTION quote_search_on_quote() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO quote_search (quote_id, document, said_at, speaker_id, verdict, public_verdict, outlet)
        SELECT NEW.id,
            quote_search_document(NEW.text, (SELECT name FROM speakers WHERE id = NEW.speaker_id)),
            coalesce(a.published_at, a.created_at), NEW.speaker_id, NEW.verdict,
            {PUBLIC.format(q="NEW")}, lower(a.outlet)
        FROM articles a WHERE a.id = NEW.article_id
        ON CONFLICT (quote_id) DO UPDATE SET document = EXCLUDED.document, said_at = EXCLUDED.said_at,
            speaker_id = EXCLUDED.speaker_id, verdict = EXCLUDED.verdict,
            public_verdict = EXCLUDED.public_verdict, outlet = EXCLUDED.outlet;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER quote_search_quote
        AFTER INSERT OR UPDATE OF text, speaker_id, article_id, verdict, status ON quotes
        FOR EACH ROW EXECUTE FUNCTION quote_search_on_quote()""",
    "DROP TRIGGER quote_search_article ON articles",
    """CREATE OR REPLACE FUNCTION quote_search_on_article() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE quote_search SET said_at = coalesce(NEW.published_at, NEW.created_at),
            outlet = lower(NEW.outlet)
        FROM quotes WHERE quotes.article_id = NEW.id AND quote_search.quote_id = quotes.id;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER quote_search_article AFTER UPDATE OF published_at, created_at, outlet ON articles
        FOR EACH ROW EXECUTE FUNCTION quote_search_on_article()""",
)
POSTGRESQL_DOWN = (
    "DROP TRIGGER quote_search_article ON articles",
    """CREATE OR REPLACE FUNCTION quote_search_on_article() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE quote_search SET said_at = coalesce(NEW.published_at, NEW.created_at)
        FROM quotes WHERE quotes.article_id = NEW.id AND quote_search.quote_id = quotes.id;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER quote_search_article AFTER UPDATE OF published_at, created_at ON articles
        FOR EACH ROW EXECUTE FUNCTION quote_search_on_article()""",
    "DROP TRIGGER quote_search_quote ON quotes",
    """CREATE OR REPLACE FUNCTION quote_search_on_quote() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO quote_search (quote_id, document, said_at)
        VALUES (NEW.id,
            quote_search_document(NEW.text, (SELECT name FROM speakers WHERE id = NEW.speaker_id)),
            (SELECT coalesce(published_at, created_at) FROM articles WHERE id = NEW.article_id))
        ON CONFLICT (quote_id) DO UPDATE SET document = EXCLUDED.document, said_at = EXCLUDED.said_at;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER quote_search_quote AFTER INSERT OR UPDATE OF text, speaker_id, article_id ON quotes
        FOR EACH ROW EXECUTE FUNCTION quote_search_on_quote()""",
    "DROP INDEX IF EXISTS ix_quote_search_outlet",
    "DROP INDEX IF EXISTS ix_quote_search_public",
    "DROP INDEX IF EXISTS ix_quote_search_verdict",
    "DROP INDEX IF EXISTS ix_quote_search_speaker",
    "ALTER TABLE quote_search DROP COLUMN outlet, DROP COLUMN public_verdict, DROP COLUMN verdict, "
    "DROP COLUMN speaker_id",
)


def _run(statements):
    connection = op.get_bind()
    for statement in statements:
        connection.exec_driver_sql(statement)


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_DATES_DROP + SQLITE_FILTERS_UP)
    elif dialect == "postgresql":
        _run(POSTGRESQL_UP)
    else:
        raise NotImplementedError(f"no full-text index for the {dialect} database")


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_FILTERS_DOWN + SQLITE_DATES_UP)
    else:
        _run(POSTGRESQL_DOWN)
