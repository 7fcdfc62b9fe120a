"""quotes judged not a quote are hidden from readers: search index and a partial index

Revision ID: 0010
Revises: 0009
Created: 2026-11-27

An editor's "not a quote" (attribution check) hides the quote from readers.
The search index's readers' verdict becomes NULL for such a quote, so reader
searches skip it from the index alone; the triggers now follow the
attribution column too. ``ix_quotes_not_a_quote`` (partial: only those few
quotes) lets pages count and find them without scanning ``quotes``.
SQLite: quote_search_filters is derived data, rebuilt with a nullable column;
PostgreSQL: quote_search's column loses NOT NULL. The DDL is written out here
so this revision never changes.
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

HIDDEN = "attribution = 'not_a_quote'"
PUBLIC_0007 = "CASE WHEN {q}.status IN ('published', 'corrected') THEN {q}.verdict ELSE 'unverified' END"
PUBLIC_0010 = ("CASE WHEN {q}.attribution = 'not_a_quote' THEN NULL "
               "WHEN {q}.status IN ('published', 'corrected') THEN {q}.verdict ELSE 'unverified' END")


def _sqlite_filters(public: str, *, nullable: bool, update_of: str) -> tuple[str, ...]:
    row = ("SELECT new.id, coalesce(a.published_at, a.created_at), new.speaker_id, new.verdict, "
           + public.format(q="new") + ", lower(a.outlet) FROM articles a WHERE a.id = new.article_id")
    return (
        "DROP TRIGGER IF EXISTS quote_search_filters_article",
        "DROP TRIGGER IF EXISTS quote_search_filters_delete",
        "DROP TRIGGER IF EXISTS quote_search_filters_update",
        "DROP TRIGGER IF EXISTS quote_search_filters_insert",
        "DROP TABLE IF EXISTS quote_search_filters",
        f"""CREATE TABLE quote_search_filters (
            quote_id INTEGER PRIMARY KEY,
            said_at DATETIME NOT NULL,
            speaker_id INTEGER,
            verdict VARCHAR(32) NOT NULL,
            public_verdict VARCHAR(32){'' if nullable else ' NOT NULL'},
            outlet VARCHAR(200))""",
        "CREATE INDEX ix_quote_search_filters_said_at ON quote_search_filters (said_at, quote_id)",
        "CREATE INDEX ix_quote_search_filters_speaker ON quote_search_filters (speaker_id, said_at)",
        "CREATE INDEX ix_quote_search_filters_verdict ON quote_search_filters (verdict, said_at)",
        "CREATE INDEX ix_quote_search_filters_public ON quote_search_filters (public_verdict, said_at)",
        "CREATE INDEX ix_quote_search_filters_outlet ON quote_search_filters (outlet, said_at)",
        f"""CREATE TRIGGER quote_search_filters_insert AFTER INSERT ON quotes BEGIN
            INSERT INTO quote_search_filters {row};
        END""",
        f"""CREATE TRIGGER quote_search_filters_update
            AFTER UPDATE OF {update_of} ON quotes BEGIN
            DELETE FROM quote_search_filters WHERE quote_id = old.id;
            INSERT INTO quote_search_filters {row};
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
        + public.format(q="q") + ", lower(a.outlet) FROM quotes q JOIN articles a ON a.id = q.article_id",
    )


def _postgresql_trigger(public: str, update_of: str) -> tuple[str, ...]:
    return (
        "DROP TRIGGER IF EXISTS quote_search_quote ON quotes",
        f"""CREATE OR REPLACE FUNCTION quote_search_on_quote() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO quote_search (quote_id, document, said_at, speaker_id, verdict, public_verdict, outlet)
            SELECT NEW.id,
                quote_search_document(NEW.text, (SELECT name FROM speakers WHERE id = NEW.speaker_id)),
                coalesce(a.published_at, a.created_at), NEW.speaker_id, NEW.verdict,
                {public.format(q="NEW")}, lower(a.outlet)
            FROM articles a WHERE a.id = NEW.article_id
            ON CONFLICT (quote_id) DO UPDATE SET document = EXCLUDED.document, said_at = EXCLUDED.said_at,
                speaker_id = EXCLUDED.speaker_id, verdict = EXCLUDED.verdict,
                public_verdict = EXCLUDED.public_verdict, outlet = EXCLUDED.outlet;
            RETURN NULL;
        END $$""",
        f"""CREATE TRIGGER quote_search_quote
            AFTER INSERT OR UPDATE OF {update_of} ON quotes
            FOR EACH ROW EXECUTE FUNCTION quote_search_on_quote()""",
    )


SQLITE_UP = _sqlite_filters(PUBLIC_0010, nullable=True,
                            update_of="article_id, speaker_id, verdict, status, attribution")
SQLITE_DOWN = _sqlite_filters(PUBLIC_0007, nullable=False, update_of="article_id, speaker_id, verdict, status")

POSTGRESQL_UP = (
    "ALTER TABLE quote_search ALTER COLUMN public_verdict DROP NOT NULL",
    # Runs after the partial index exists: it finds the hidden quotes directly.
    "UPDATE quote_search SET public_verdict = NULL FROM quotes "
    f"WHERE quotes.{HIDDEN} AND quotes.id = quote_search.quote_id",
) + _postgresql_trigger(PUBLIC_0010, "text, speaker_id, article_id, verdict, status, attribution")
POSTGRESQL_DOWN = _postgresql_trigger(PUBLIC_0007, "text, speaker_id, article_id, verdict, status") + (
    "UPDATE quote_search SET public_verdict = " + PUBLIC_0007.format(q="quotes") + " FROM quotes "
    "WHERE quote_search.public_verdict IS NULL AND quotes.id = quote_search.quote_id",
    "ALTER TABLE quote_search ALTER COLUMN public_verdict SET NOT NULL",
)


def _run(statements):
    connection = op.get_bind()
    for statement in statements:
        connection.exec_driver_sql(statement)


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect not in ("sqlite", "postgresql"):
        raise NotImplementedError(f"no full-text index for the {dialect} database")
    op.create_index("ix_quotes_not_a_quote", "quotes", ["id"], unique=False,
                    sqlite_where=sa.text(HIDDEN), postgresql_where=sa.text(HIDDEN))
    _run(SQLITE_UP if dialect == "sqlite" else POSTGRESQL_UP)


def downgrade():
    dialect = op.get_bind().dialect.name
    _run(SQLITE_DOWN if dialect == "sqlite" else POSTGRESQL_DOWN)
    op.drop_index("ix_quotes_not_a_quote", table_name="quotes")
