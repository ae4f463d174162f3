"""post.title_source: where a post's title was read (list, or the article when the list
cut it)

Revision ID: 0003
Revises: 0001
Create Date: 2026-12-04 17:40:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_source', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.drop_column('title_source')
