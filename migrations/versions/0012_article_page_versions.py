"""article page versions: one number per article, moved by triggers when its page changes

Revision ID: 0012
Revises: 0011
Created: 2026-11-28

The page cache keys the annotated article page by its own article's version, so
committed changes elsewhere (an ingested article, a verdict on another article's
quote) no longer start it afresh (see factcheck/page_versions.py). Triggers on
articles, quotes, quote_segments and speakers move it; every article stored gets
a version here, from the clock in microseconds like every new one. The DDL is written out here so this revision never changes.
"""
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

SQLITE_UP = (
    """CREATE TABLE article_page_versions (
        article_id INTEGER PRIMARY KEY,
        version INTEGER NOT NULL
    )""",
    """CREATE TRIGGER article_page_versions_article_insert AFTER INSERT ON articles BEGIN
        INSERT INTO article_page_versions (article_id, version) VALUES (new.id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
        ON CONFLICT (article_id) DO UPDATE SET version = max(version + 1, excluded.version);
    END""",
    """CREATE TRIGGER article_page_versions_article_update
        AFTER UPDATE OF id, title, url, outlet, authors, published_at, text ON articles BEGIN
        UPDATE article_page_versions SET version = version + 1 WHERE article_id IN (old.id, new.id);
    END""",
    """CREATE TRIGGER article_page_versions_article_delete AFTER DELETE ON articles BEGIN
        UPDATE article_page_versions SET version = version + 1 WHERE article_id = old.id;
    END""",
    """CREATE TRIGGER article_page_versions_quote_insert AFTER INSERT ON quotes BEGIN
        UPDATE article_page_versions SET version = version + 1 WHERE article_id = new.article_id;
    END""",
    """CREATE TRIGGER article_page_versions_quote_update AFTER UPDATE ON quotes BEGIN
        UPDATE article_page_versions SET version = version + 1 WHERE article_id IN (old.article_id, new.article_id);
    END""",
    """CREATE TRIGGER article_page_versions_quote_delete AFTER DELETE ON quotes BEGIN
        UPDATE article_page_versions SET version = version + 1 WHERE article_id = old.article_id;
    END""",
    """CREATE TRIGGER article_page_versions_segment_insert AFTER INSERT ON quote_segments BEGIN
        UPDATE article_page_versions SET version = version + 1 WHERE article_id = (SELECT article_id FROM quotes WHERE id = new.quote_id);
    END""",
    """CREATE TRIGGER article_page_versions_segment_update AFTER UPDATE ON quote_segments BEGIN
        UPDATE article_page_versions SET version = version + 1 WHERE article_id IN (SELECT article_id FROM quotes WHERE id IN (old.quote_id, new.quote_id));
    END""",
    """CREATE TRIGGER article_page_versions_segment_delete AFTER DELETE ON quote_segments BEGIN
        UPDATE article_page_versions SET version = version + 1 WHERE article_id = (SELECT article_id FROM quotes WHERE id = old.quote_id);
    END""",
    """CREATE TRIGGER article_page_versions_speaker_rename AFTER UPDATE OF name ON speakers BEGIN
        UPDATE article_page_versions SET version = version + 1 WHERE article_id IN (SELECT article_id FROM quotes WHERE speaker_id = new.id);
    END""",
    """CREATE TRIGGER article_page_versions_speaker_delete AFTER DELETE ON speakers BEGIN
        UPDATE article_page_versions SET version = version + 1 WHERE article_id IN (SELECT article_id FROM quotes WHERE speaker_id = old.id);
    END""",
)
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS article_page_versions_speaker_delete",
    "DROP TRIGGER IF EXISTS article_page_versions_speaker_rename",
    "DROP TRIGGER IF EXISTS article_page_versions_segment_delete",
    "DROP TRIGGER IF EXISTS article_page_versions_segment_update",
    "DROP TRIGGER IF EXISTS article_page_versions_segment_insert",
    "DROP TRIGGER IF EXISTS article_page_versions_quote_delete",
    "DROP TRIGGER IF EXISTS article_page_versions_quote_update",
    "DROP TRIGGER IF EXISTS article_page_versions_quote_insert",
    "DROP TRIGGER IF EXISTS article_page_versions_article_delete",
    "DROP TRIGGER IF EXISTS article_page_versions_article_update",
    "DROP TRIGGER IF EXISTS article_page_versions_article_insert",
    "DROP TABLE IF EXISTS article_page_versions",
)
POSTGRESQL_UP = (
    """CREATE TABLE article_page_versions (
        article_id integer PRIMARY KEY,
        version bigint NOT NULL
    )""",
    """CREATE FUNCTION article_page_versions_on_article() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO article_page_versions (article_id, version) VALUES (NEW.id, CAST(extract(epoch FROM clock_timestamp()) * 1000000 AS bigint))
            ON CONFLICT (article_id) DO UPDATE
            SET version = GREATEST(article_page_versions.version + 1, excluded.version);
        ELSIF TG_OP = 'UPDATE' THEN
            UPDATE article_page_versions SET version = version + 1 WHERE article_id IN (OLD.id, NEW.id);
        ELSE
            UPDATE article_page_versions SET version = version + 1 WHERE article_id = OLD.id;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER article_page_versions_article
        AFTER INSERT OR DELETE OR UPDATE OF id, title, url, outlet, authors, published_at, text ON articles
        FOR EACH ROW EXECUTE FUNCTION article_page_versions_on_article()""",
    """CREATE FUNCTION article_page_versions_on_quotes() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            UPDATE article_page_versions SET version = version + 1
            WHERE article_id IN (SELECT article_id FROM touched_new);
        ELSIF TG_OP = 'UPDATE' THEN
            UPDATE article_page_versions SET version = version + 1
            WHERE article_id IN (SELECT article_id FROM touched_old UNION SELECT article_id FROM touched_new);
        ELSE
            UPDATE article_page_versions SET version = version + 1
            WHERE article_id IN (SELECT article_id FROM touched_old);
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER article_page_versions_quote_insert AFTER INSERT ON quotes
        REFERENCING NEW TABLE AS touched_new
        FOR EACH STATEMENT EXECUTE FUNCTION article_page_versions_on_quotes()""",
    """CREATE TRIGGER article_page_versions_quote_update AFTER UPDATE ON quotes
        REFERENCING OLD TABLE AS touched_old NEW TABLE AS touched_new
        FOR EACH STATEMENT EXECUTE FUNCTION article_page_versions_on_quotes()""",
    """CREATE TRIGGER article_page_versions_quote_delete AFTER DELETE ON quotes
        REFERENCING OLD TABLE AS touched_old
        FOR EACH STATEMENT EXECUTE FUNCTION article_page_versions_on_quotes()""",
    """CREATE FUNCTION article_page_versions_on_segments() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            UPDATE article_page_versions SET version = version + 1 WHERE article_id IN (
                SELECT q.article_id FROM quotes q WHERE q.id IN (SELECT quote_id FROM touched_new));
        ELSIF TG_OP = 'UPDATE' THEN
            UPDATE article_page_versions SET version = version + 1 WHERE article_id IN (
                SELECT q.article_id FROM quotes q WHERE q.id IN (
                    SELECT quote_id FROM touched_old UNION SELECT quote_id FROM touched_new));
        ELSE
            UPDATE article_page_versions SET version = version + 1 WHERE article_id IN (
                SELECT q.article_id FROM quotes q WHERE q.id IN (SELECT quote_id FROM touched_old));
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER article_page_versions_segment_insert AFTER INSERT ON quote_segments
        REFERENCING NEW TABLE AS touched_new
        FOR EACH STATEMENT EXECUTE FUNCTION article_page_versions_on_segments()""",
    """CREATE TRIGGER article_page_versions_segment_update AFTER UPDATE ON quote_segments
        REFERENCING OLD TABLE AS touched_old NEW TABLE AS touched_new
        FOR EACH STATEMENT EXECUTE FUNCTION article_page_versions_on_segments()""",
    """CREATE TRIGGER article_page_versions_segment_delete AFTER DELETE ON quote_segments
        REFERENCING OLD TABLE AS touched_old
        FOR EACH STATEMENT EXECUTE FUNCTION article_page_versions_on_segments()""",
    """CREATE FUNCTION article_page_versions_on_speaker() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE article_page_versions SET version = version + 1
        WHERE article_id IN (SELECT article_id FROM quotes WHERE speaker_id = OLD.id);
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER article_page_versions_speaker_rename AFTER UPDATE OF name ON speakers
        FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
        EXECUTE FUNCTION article_page_versions_on_speaker()""",
    """CREATE TRIGGER article_page_versions_speaker_delete AFTER DELETE ON speakers
        FOR EACH ROW EXECUTE FUNCTION article_page_versions_on_speaker()""",
    """CREATE FUNCTION article_page_versions_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE article_page_versions SET version = version + 1;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER article_page_versions_articles_truncate AFTER TRUNCATE ON articles
        FOR EACH STATEMENT EXECUTE FUNCTION article_page_versions_on_truncate()""",
    """CREATE TRIGGER article_page_versions_quotes_truncate AFTER TRUNCATE ON quotes
        FOR EACH STATEMENT EXECUTE FUNCTION article_page_versions_on_truncate()""",
    """CREATE TRIGGER article_page_versions_quote_segments_truncate AFTER TRUNCATE ON quote_segments
        FOR EACH STATEMENT EXECUTE FUNCTION article_page_versions_on_truncate()""",
    """CREATE TRIGGER article_page_versions_speakers_truncate AFTER TRUNCATE ON speakers
        FOR EACH STATEMENT EXECUTE FUNCTION article_page_versions_on_truncate()""",
)
POSTGRESQL_DOWN = (
    "DROP TRIGGER IF EXISTS article_page_versions_speakers_truncate ON speakers",
    "DROP TRIGGER IF EXISTS article_page_versions_quote_segments_truncate ON quote_segments",
    "DROP TRIGGER IF EXISTS article_page_versions_quotes_truncate ON quotes",
    "DROP TRIGGER IF EXISTS article_page_versions_articles_truncate ON articles",
    "DROP TRIGGER IF EXISTS article_page_versions_speaker_delete ON speakers",
    "DROP TRIGGER IF EXISTS article_page_versions_speaker_rename ON speakers",
    "DROP TRIGGER IF EXISTS article_page_versions_segment_delete ON quote_segments",
    "DROP TRIGGER IF EXISTS article_page_versions_segment_update ON quote_segments",
    "DROP TRIGGER IF EXISTS article_page_versions_segment_insert ON quote_segments",
    "DROP TRIGGER IF EXISTS article_page_versions_quote_delete ON quotes",
    "DROP TRIGGER IF EXISTS article_page_versions_quote_update ON quotes",
    "DROP TRIGGER IF EXISTS article_page_versions_quote_insert ON quotes",
    "DROP TRIGGER IF EXISTS article_page_versions_article ON articles",
    "DROP FUNCTION IF EXISTS article_page_versions_on_truncate()",
    "DROP FUNCTION IF EXISTS article_page_versions_on_speaker()",
    "DROP FUNCTION IF EXISTS article_page_versions_on_segments()",
    "DROP FUNCTION IF EXISTS article_page_versions_on_quotes()",
    "DROP FUNCTION IF EXISTS article_page_versions_on_article()",
    "DROP TABLE IF EXISTS article_page_versions",
)
SQLITE_FILL = (
    "INSERT INTO article_page_versions (article_id, version) SELECT a.id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_page_versions v WHERE v.article_id = a.id)",
)
POSTGRESQL_FILL = (
    "INSERT INTO article_page_versions (article_id, version) SELECT a.id, CAST(extract(epoch FROM clock_timestamp()) * 1000000 AS bigint) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_page_versions v WHERE v.article_id = a.id)",
)

def _run(statements):
    connection = op.get_bind()
    for statement in statements:
        connection.exec_driver_sql(statement)


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run((*SQLITE_UP, *SQLITE_FILL))
    elif dialect == "postgresql":
        _run((*POSTGRESQL_UP, *POSTGRESQL_FILL))
    else:
        raise NotImplementedError(f"no article page versions for the {dialect} database")


def downgrade():
    dialect = op.get_bind().dialect.name
    _run(SQLITE_DOWN if dialect == "sqlite" else POSTGRESQL_DOWN)
