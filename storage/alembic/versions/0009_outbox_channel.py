"""alert_outbox: the channel of each delivery (e-mail or a chat URL); an alert is unique
per channel, so its e-mail and its chat messages are separate deliveries

Revision ID: 0009
Revises: 0008
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every message queued before this was an e-mail.
    with op.batch_alter_table('alert_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=500), nullable=False,
                                      server_default='email'))
        batch_op.drop_constraint('uq_alert_outbox_dedupe_key', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_alert_outbox_dedupe_key_channel'),
                                          ['dedupe_key', 'channel'])


def downgrade() -> None:
    # Chat deliveries have no place in the older schema, where a key is unique on its own.
    op.execute("DELETE FROM alert_outbox WHERE channel <> 'email'")
    with op.batch_alter_table('alert_outbox', schema=None) as batch_op:
        batch_op.drop_constraint('uq_alert_outbox_dedupe_key_channel', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_alert_outbox_dedupe_key'),
                                          ['dedupe_key'])
        batch_op.drop_column('channel')
