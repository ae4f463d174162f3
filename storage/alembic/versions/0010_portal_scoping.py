"""every row of a portal carries its site: page, link_target, problem, probe_result and
alert_outbox get `site_id`, and their natural keys become unique per site (SPEC §7)

A database written before held one portal: its rows are given that portal's site. A
database with such rows and no site, or with several sites, cannot say whose the rows are;
the upgrade refuses rather than guess.

Revision ID: 0010
Revises: 0009
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from monitor.errors import DatabaseError
from monitor.i18n import _

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table → (unique key before, unique key after, without site_id); None: no unique key.
SCOPED: dict[str, tuple[str, ...] | None] = {
    'page': ('url',),
    'link_target': ('url',),
    'problem': ('type', 'key'),
    'probe_result': None,
    'alert_outbox': ('dedupe_key', 'channel'),
}


def _unique_name(table: str, columns: Sequence[str]) -> str:
    return f"uq_{table}_{'_'.join(columns)}"


def _owner_of_existing_rows() -> int | None:
    """The one site the rows written so far belong to; None when there are no rows."""
    bind = op.get_bind()
    with_rows = [table for table in SCOPED
                 if bind.execute(sa.text(f'SELECT 1 FROM {table} LIMIT 1')).first()]
    if not with_rows:
        return None
    sites = list(bind.execute(sa.text('SELECT id FROM site ORDER BY id')).scalars())
    if len(sites) == 1:
        return int(sites[0])
    tables = ', '.join(with_rows)
    if not sites:
        raise DatabaseError(_(
            "cannot migrate: the tables {tables} have rows but the database has no site to "
            "give them to; empty those tables, or add the portal's site row, and upgrade "
            "again").format(tables=tables))
    raise DatabaseError(_(
        "cannot migrate: the tables {tables} have rows but the database has {count} sites, "
        "and nothing says whose the rows are; keep one site, or empty those tables, and "
        "upgrade again").format(tables=tables, count=len(sites)))


def upgrade() -> None:
    owner = _owner_of_existing_rows()
    for table in SCOPED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('site_id', sa.Integer(), nullable=True))
        if owner is not None:
            op.execute(sa.text(f'UPDATE {table} SET site_id = :site').bindparams(site=owner))
    for table, key in SCOPED.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('site_id', existing_type=sa.Integer(), nullable=False)
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_site_id_site'), 'site',
                                        ['site_id'], ['id'], ondelete='CASCADE')
            batch_op.create_index(batch_op.f(f'ix_{table}_site_id'), ['site_id'],
                                  unique=False)
            if key is not None:
                batch_op.drop_constraint(_unique_name(table, key), type_='unique')
                batch_op.create_unique_constraint(
                    batch_op.f(_unique_name(table, ('site_id', *key))), ['site_id', *key])


def downgrade() -> None:
    # The older schema holds one portal: keys unique on their own could collide otherwise.
    bind = op.get_bind()
    for table in SCOPED:
        owners = bind.execute(sa.text(f'SELECT COUNT(DISTINCT site_id) FROM {table}')).scalar()
        if owners and owners > 1:
            raise DatabaseError(_(
                "cannot downgrade: {table} holds the rows of {count} portals, and the older "
                "schema holds one").format(table=table, count=owners))
    for table, key in SCOPED.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            if key is not None:
                batch_op.drop_constraint(_unique_name(table, ('site_id', *key)), type_='unique')
                batch_op.create_unique_constraint(batch_op.f(_unique_name(table, key)),
                                                  list(key))
            batch_op.drop_index(batch_op.f(f'ix_{table}_site_id'))
            batch_op.drop_constraint(f'fk_{table}_site_id_site', type_='foreignkey')
            batch_op.drop_column('site_id')
