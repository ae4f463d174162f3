"""dashboard users; who changed a problem

Revision ID: 0006
Revises: 0005
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.base


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('web_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('created_at', storage.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_web_user_unit_id_unit'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_web_user')),
    sa.UniqueConstraint('name', name=op.f('uq_web_user_name'))
    )
    with op.batch_alter_table('web_user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_user_unit_id'), ['unit_id'], unique=False)
    with op.batch_alter_table('problem_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('actor', sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('problem_event', schema=None) as batch_op:
        batch_op.drop_column('actor')
    with op.batch_alter_table('web_user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_user_unit_id'))
    op.drop_table('web_user')
