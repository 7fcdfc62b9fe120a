"""Alembic environment for factcheck, run through Flask-Migrate (`flask db ...`).

The database is the app's own (FACTCHECK_DATABASE_URL or the SQLite file in
instance/); the target schema is factcheck.models' metadata.
"""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from factcheck import page_versions
from factcheck.search_index import include_name  # the search index is not in the models

config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
log = logging.getLogger("alembic.env")

database = current_app.extensions["migrate"].db
config.set_main_option(
    "sqlalchemy.url", database.engine.url.render_as_string(hide_password=False).replace("%", "%%")
)


def skip_empty_autogenerate(context_, revision, directives):
    """`flask db migrate` with no model change writes no empty revision."""
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        log.info("No change in the models; no revision written.")


def run_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"),
                      target_metadata=database.metadata, literal_binds=True,
                      include_name=include_name)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    options = dict(current_app.extensions["migrate"].configure_args)
    options.setdefault("process_revision_directives", skip_empty_autogenerate)
    options.setdefault("include_name", include_name)
    with database.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # Batch migrations copy and rename tables: foreign keys and trigger
            # checks must not fire half-way (run on the raw connection, before
            # the migration's transaction begins, where SQLite honours them).
            raw = connection.connection.driver_connection
            raw.execute("PRAGMA foreign_keys=OFF")
            raw.execute("PRAGMA legacy_alter_table=ON")
        context.configure(connection=connection, target_metadata=database.metadata, **options)
        with context.begin_transaction():
            context.run_migrations()
        # A batch migration on SQLite copies a table without its triggers: the article
        # page versions' are put back right after, by every run that finds them missing.
        if connection.in_transaction():  # what Alembic left open reading its version
            connection.commit()
        with connection.begin():
            page_versions.repair(connection)


if context.is_offline_mode():
    run_offline()
else:
    run_online()
