"""Is the database at the schema this code expects? (Alembic revision check.)"""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
UPGRADE_HINT = "run `flask --app wsgi db upgrade` first"


class SchemaNotCurrent(RuntimeError):
    """The database has no schema, or an older one than the code."""


def head_revisions() -> set[str]:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return set(ScriptDirectory.from_config(config).get_heads())


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def check_schema(engine: Engine) -> None:
    """Raise SchemaNotCurrent with a message that says what to do."""
    current = current_revisions(engine)
    if not current:
        raise SchemaNotCurrent(f"The database has no schema yet: {UPGRADE_HINT}.")
    if current != head_revisions():
        raise SchemaNotCurrent(
            f"The database schema is out of date ({', '.join(sorted(current))}): {UPGRADE_HINT}."
        )
