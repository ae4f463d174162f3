"""outbox: each recipient's outcome (delivered, refused for good, uncertain);
crawl runs: the count of columns read only up to a cap

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Messages already in the outbox have no per-recipient record yet: empty, which means
    # every recipient of an unsent message is still pending.
    with op.batch_alter_table('alert_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delivered_to', sa.JSON(), nullable=False,
                                      server_default='[]'))
        batch_op.add_column(sa.Column('refused_to', sa.JSON(), nullable=False,
                                      server_default='{}'))
        batch_op.add_column(sa.Column('uncertain_to', sa.JSON(), nullable=False,
                                      server_default='[]'))


    with op.batch_alter_table('crawl_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('columns_capped', sa.Integer(), nullable=False,
                                      server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('crawl_run', schema=None) as batch_op:
        batch_op.drop_column('columns_capped')
    with op.batch_alter_table('alert_outbox', schema=None) as batch_op:
        batch_op.drop_column('uncertain_to')
        batch_op.drop_column('refused_to')
        batch_op.drop_column('delivered_to')
