"""review history entries remember the quote version they produced

Revision ID: 0003
Revises: 0002
Created: 2026-11-27

A save made with a stale version is shown the entries above the version it
loaded: the other people's changes it did not see.
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("review_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quote_version", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("review_events", schema=None) as batch_op:
        batch_op.drop_column("quote_version")
