"""One version number per article for its annotated page, kept by database triggers.

The page cache (pagecache.py) keys most pages by the one content version, which
every committed change moves: right, but while workers ingest all day every page
starts afresh after each article. The annotated article page shows only its
article, that article's quotes (text, verdict, status, rating, public note, role,
attribution) with their segments, and the names of their speakers; so it is keyed
by ``article_page_versions.version`` of its own article instead, which moves only
when one of those changes:

- an article inserted (its row is created, or moved on if the id was used before),
  changed (title, url, outlet, authors, date, text) or deleted (moved on; rows are
  never removed, so a version is never used twice for one id);
- a quote inserted, changed (any column) or deleted: its article's version (both
  articles', if it moved);
- a quote segment inserted, changed or deleted: its quote's article's version;
- a speaker renamed or deleted: the version of every article quoting them.

Triggers, not services, do it, so Core statements, bulk loads and hand-written SQL
count as much as the ORM. SQLite: row triggers. PostgreSQL: statement triggers with
transition tables on quotes and segments (ingesting an article inserts its quotes
in one statement: one bump, not one per quote) and row triggers elsewhere.

A new version row starts at the clock in microseconds and each change adds one, so
a table made afresh (a rebuild, a bulk load, a restored backup) never hands out a
version an earlier table gave the same article. On PostgreSQL a TRUNCATE of any
watched table moves every version on.

Created right after ``quote_segments`` (the last of the tables they watch) and
dropped right before it, so ``create_all()`` (tests) builds what migration 0012
builds. A table rebuilt by a batch-mode migration on SQLite loses its triggers:
every migration run ends with ``repair``, in its own transaction; should they go
missing otherwise, ``installed`` tells the page cache, which then keys article pages
by the content version again until ``flask search rebuild`` puts them back.
"""

from __future__ import annotations

from sqlalchemy import Table, event
from sqlalchemy.engine import Connection

TABLE = "article_page_versions"

_BUMP = "UPDATE article_page_versions SET version = version + 1 WHERE article_id"
# A new row starts at the clock in microseconds, not at 1: when the table is made again
# (a rebuild, a bulk load, a restored backup) its versions still start above any an
# earlier table gave, so a page kept under an old version is never taken for a new one.
_SQLITE_NOW = "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)"
_POSTGRESQL_NOW = "CAST(extract(epoch FROM clock_timestamp()) * 1000000 AS bigint)"
#: The clock in microseconds, as SQL: where a version counter starts (the content version's too).
CLOCK = {"sqlite": _SQLITE_NOW, "postgresql": _POSTGRESQL_NOW}

SQLITE_CREATE = (
    """CREATE TABLE article_page_versions (
        article_id INTEGER PRIMARY KEY,
        version INTEGER NOT NULL
    )""",
    f"""CREATE TRIGGER article_page_versions_article_insert AFTER INSERT ON articles BEGIN
        INSERT INTO article_page_versions (article_id, version) VALUES (new.id, {_SQLITE_NOW})
        ON CONFLICT (article_id) DO UPDATE SET version = max(version + 1, excluded.version);
    END""",
    f"""CREATE TRIGGER article_page_versions_article_update
        AFTER UPDATE OF id, title, url, outlet, authors, published_at, text ON articles BEGIN
        {_BUMP} IN (old.id, new.id);
    END""",
    f"""CREATE TRIGGER article_page_versions_article_delete AFTER DELETE ON articles BEGIN
        {_BUMP} = old.id;
    END""",
    f"""CREATE TRIGGER article_page_versions_quote_insert AFTER INSERT ON quotes BEGIN
        {_BUMP} = new.article_id;
    END""",
    f"""CREATE TRIGGER article_page_versions_quote_update AFTER UPDATE ON quotes BEGIN
        {_BUMP} IN (old.article_id, new.article_id);
    END""",
    f"""CREATE TRIGGER article_page_versions_quote_delete AFTER DELETE ON quotes BEGIN
        {_BUMP} = old.article_id;
    END""",
    f"""CREATE TRIGGER article_page_versions_segment_insert AFTER INSERT ON quote_segments BEGIN
        {_BUMP} = (SELECT article_id FROM quotes WHERE id = new.quote_id);
    END""",
    f"""CREATE TRIGGER article_page_versions_segment_update AFTER UPDATE ON quote_segments BEGIN
        {_BUMP} IN (SELECT article_id FROM quotes WHERE id IN (old.quote_id, new.quote_id));
    END""",
    f"""CREATE TRIGGER article_page_versions_segment_delete AFTER DELETE ON quote_segments BEGIN
        {_BUMP} = (SELECT article_id FROM quotes WHERE id = old.quote_id);
    END""",
    f"""CREATE TRIGGER article_page_versions_speaker_rename AFTER UPDATE OF name ON speakers BEGIN
        {_BUMP} IN (SELECT article_id FROM quotes WHERE speaker_id = new.id);
    END""",
    f"""CREATE TRIGGER article_page_versions_speaker_delete AFTER DELETE ON speakers BEGIN
        {_BUMP} IN (SELECT article_id FROM quotes WHERE speaker_id = old.id);
    END""",
)
SQLITE_TRIGGERS = tuple(
    statement.split()[2] for statement in SQLITE_CREATE if statement.startswith("CREATE TRIGGER"))
SQLITE_DROP = (
    *(f"DROP TRIGGER IF EXISTS {name}" for name in reversed(SQLITE_TRIGGERS)),
    "DROP TABLE IF EXISTS article_page_versions",
)

def _statement_triggers(table: str, short: str, articles) -> tuple[str, ...]:
    """PostgreSQL: a function moving the versions of the articles a statement on ``table``
    touched, and its insert, update and delete triggers (``article_page_versions_<short>_*``).
    ``articles(ids)`` is the query of those articles, given ``ids(column)``, the query of a
    column over the touched rows."""
    function = f"article_page_versions_on_{short}s"

    def bump(*touched: str) -> str:
        def ids(column: str) -> str:
            return " UNION ".join(f"SELECT {column} FROM {rows}" for rows in touched)
        return f"UPDATE article_page_versions SET version = version + 1 WHERE article_id IN ({articles(ids)})"

    referencing = {"insert": "NEW TABLE AS touched_new", "update": "OLD TABLE AS touched_old NEW TABLE AS touched_new",
                   "delete": "OLD TABLE AS touched_old"}
    return (
        f"""CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            {bump("touched_new")};
        ELSIF TG_OP = 'UPDATE' THEN
            {bump("touched_old", "touched_new")};
        ELSE
            {bump("touched_old")};
        END IF;
        RETURN NULL;
    END $$""",
        *(f"""CREATE TRIGGER article_page_versions_{short}_{event_} AFTER {event_.upper()} ON {table}
        REFERENCING {referencing[event_]}
        FOR EACH STATEMENT EXECUTE FUNCTION {function}()""" for event_ in ("insert", "update", "delete")),
    )


POSTGRESQL_CREATE = (
    """CREATE TABLE article_page_versions (
        article_id integer PRIMARY KEY,
        version bigint NOT NULL
    )""",
    f"""CREATE FUNCTION article_page_versions_on_article() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO article_page_versions (article_id, version) VALUES (NEW.id, {_POSTGRESQL_NOW})
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
    # Quotes and segments: once per statement, over the rows it touched.
    *_statement_triggers("quotes", "quote", lambda ids: ids("article_id")),
    *_statement_triggers("quote_segments", "segment",
                         lambda ids: f"SELECT q.article_id FROM quotes q WHERE q.id IN ({ids('quote_id')})"),
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
    # TRUNCATE fires no delete triggers: it moves every version on.
    """CREATE FUNCTION article_page_versions_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE article_page_versions SET version = version + 1;
        RETURN NULL;
    END $$""",
    *(f"""CREATE TRIGGER article_page_versions_{table}_truncate AFTER TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION article_page_versions_on_truncate()"""
      for table in ("articles", "quotes", "quote_segments", "speakers")),
)
POSTGRESQL_TRIGGERS = (
    "article_page_versions_article", "article_page_versions_quote_insert",
    "article_page_versions_quote_update", "article_page_versions_quote_delete",
    "article_page_versions_segment_insert", "article_page_versions_segment_update",
    "article_page_versions_segment_delete", "article_page_versions_speaker_rename",
    "article_page_versions_speaker_delete", "article_page_versions_articles_truncate",
    "article_page_versions_quotes_truncate", "article_page_versions_quote_segments_truncate",
    "article_page_versions_speakers_truncate",
)
_POSTGRESQL_TRIGGER_TABLES = {
    "article_page_versions_article": "articles", "article_page_versions_speaker_rename": "speakers",
    "article_page_versions_speaker_delete": "speakers",
    **{f"article_page_versions_{table}_truncate": table
       for table in ("articles", "quotes", "quote_segments", "speakers")},
}
POSTGRESQL_DROP = (
    *(f"DROP TRIGGER IF EXISTS {name} ON "
      f"{_POSTGRESQL_TRIGGER_TABLES.get(name, 'quotes' if '_quote_' in name else 'quote_segments')}"
      for name in reversed(POSTGRESQL_TRIGGERS)),
    "DROP FUNCTION IF EXISTS article_page_versions_on_truncate()",
    "DROP FUNCTION IF EXISTS article_page_versions_on_speaker()",
    "DROP FUNCTION IF EXISTS article_page_versions_on_segments()",
    "DROP FUNCTION IF EXISTS article_page_versions_on_quotes()",
    "DROP FUNCTION IF EXISTS article_page_versions_on_article()",
    "DROP TABLE IF EXISTS article_page_versions",
)

# Versions only ever move forward: pages kept under a version from before a repair
# (the triggers may have missed changes meanwhile) are never served again.
def _fill(now: str, greatest: str) -> tuple[str, ...]:
    return (
        f"UPDATE article_page_versions SET version = {greatest}(version + 1, {now})",
        f"INSERT INTO article_page_versions (article_id, version) SELECT a.id, {now} FROM articles a "
        "WHERE NOT EXISTS (SELECT 1 FROM article_page_versions v WHERE v.article_id = a.id)",
    )


_CREATE = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE}
_TRIGGERS = {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRESQL_TRIGGERS}
_DROP = {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}
_FILL = {"sqlite": _fill(_SQLITE_NOW, "max"), "postgresql": _fill(_POSTGRESQL_NOW, "GREATEST")}
# Counts the triggers in place and enabled (on PostgreSQL, only on factcheck's tables).
_INSTALLED = {
    "sqlite": "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
              "AND substr(name, 1, 22) = 'article_page_versions_'",
    "postgresql": "SELECT count(*) FROM pg_trigger WHERE substr(tgname, 1, 22) = 'article_page_versions_' "
                  "AND tgenabled IN ('O', 'A') AND tgrelid IN (to_regclass('articles'), "
                  "to_regclass('quotes'), to_regclass('quote_segments'), to_regclass('speakers'))",
}

#: What the page cache reads for an article's page (no row: no article, or not yet filled).
READ = "SELECT version FROM article_page_versions WHERE article_id = ?"


def create(connection: Connection) -> None:
    for statement in _CREATE.get(connection.dialect.name, ()):
        connection.exec_driver_sql(statement)


def drop(connection: Connection) -> None:
    for statement in _DROP.get(connection.dialect.name, ()):
        connection.exec_driver_sql(statement)


def _table_exists(connection: Connection) -> bool:
    return bool(connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE name = 'article_page_versions'" if connection.dialect.name == "sqlite"
        else "SELECT to_regclass('article_page_versions')").scalar())


def rebuild(connection: Connection) -> None:
    """Put the triggers back and give every article a version (after a bulk load or a repair)."""
    name = connection.dialect.name
    if name not in _CREATE:
        return
    if _table_exists(connection):
        for statement in _DROP[name][:-1]:  # the triggers and functions; the versions stay
            connection.exec_driver_sql(statement)
        for statement in _CREATE[name][1:]:
            connection.exec_driver_sql(statement)
    else:
        create(connection)
    for statement in _FILL[name]:
        connection.exec_driver_sql(statement)


def installed_check(dialect: str) -> tuple[str, int] | None:
    """A query counting the triggers in place, and the count when all are (None: no
    versions on this database)."""
    if dialect not in _INSTALLED:
        return None
    return _INSTALLED[dialect], len(_TRIGGERS[dialect])


def installed(connection: Connection) -> bool:
    """Whether every trigger is in place (a batch-mode migration may have dropped some)."""
    check = installed_check(connection.dialect.name)
    return check is not None and connection.exec_driver_sql(check[0]).scalar() == check[1]


def repair(connection: Connection) -> None:
    """Put the triggers back when the versions table exists but some are missing (run right
    after every migration run, so no app server is left without them)."""
    name = connection.dialect.name
    if name not in _CREATE or installed(connection):
        return
    if _table_exists(connection):
        rebuild(connection)


def include_name(name: str | None, type_: str) -> bool:
    """For Alembic's ``include_name``: False for this table (not in the models)."""
    return not (type_ == "table" and name == TABLE)


def attach(segments: Table) -> None:
    """Create the versions right after the quote segments table, drop them right before."""
    event.listen(segments, "after_create", lambda target, connection, **kw: create(connection))
    event.listen(segments, "before_drop", lambda target, connection, **kw: drop(connection))
