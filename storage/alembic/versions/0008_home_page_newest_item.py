"""crawl_run: whether the run read the home page, and the newest item the page listed

Revision ID: 0008
Revises: 0006
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Runs recorded before this knew nothing of the home page's list: not read.
    with op.batch_alter_table('crawl_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('home_read', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('home_newest_item', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('crawl_run', schema=None) as batch_op:
        batch_op.drop_column('home_newest_item')
        batch_op.drop_column('home_read')
