"""The migrations build the same schema as the models, from empty, on both databases."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from factcheck.app import create_app
from factcheck.db import db
from factcheck.schema import SchemaNotCurrent, check_schema
from factcheck.search_index import include_name
from tests.conftest import _backends, make_config


@pytest.fixture(params=list(_backends()))
def empty_app(request, tmp_path):
    app = create_app(make_config(request.param, tmp_path, request))
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        yield app
        db.session.remove()
        db.drop_all()
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        db.engine.dispose()


def test_upgrade_from_empty_matches_models(empty_app):
    with pytest.raises(SchemaNotCurrent, match="no schema"):
        check_schema(db.engine)
    upgrade()
    check_schema(db.engine)
    with db.engine.connect() as connection:
        # The full-text index is built by migration 0002 outside the models (search_index.py).
        context = MigrationContext.configure(connection, opts={"include_name": include_name})
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_downgrade_to_empty_and_back(empty_app):
    upgrade()
    downgrade(revision="base")
    names = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert names == set()
    upgrade()
    assert "quotes" in inspect(db.engine).get_table_names()
