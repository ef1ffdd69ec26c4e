"""ticketing inventory orders tickets

Revision ID: games_0008
Revises: games_0007
Create Date: 2026-11-29 17:20:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from podium.core.types import UtcDateTime

# revision identifiers, used by Alembic.
revision: str = 'games_0008'
down_revision: Union[str, Sequence[str], None] = 'games_0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('fan_account',
    sa.Column('id', sa.String(length=20), nullable=False),
    sa.Column('created_at', UtcDateTime(timezone=True), nullable=False),
    sa.Column('disabled_at', UtcDateTime(timezone=True), nullable=True),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fan_account'))
    )
    op.create_table('ticket_draw',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('registration_opens_at', UtcDateTime(timezone=True), nullable=False),
    sa.Column('registration_closes_at', UtcDateTime(timezone=True), nullable=False),
    sa.Column('seed_commitment', sa.String(length=64), nullable=False),
    sa.Column('seed', sa.String(length=64), nullable=True),
    sa.Column('drawn_at', UtcDateTime(timezone=True), nullable=True),
    sa.Column('slot_hours', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_draw'))
    )
    op.create_table('ticket_webhook_event',
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('payment_id', sa.String(length=20), nullable=False),
    sa.Column('outcome', sa.String(length=12), nullable=False),
    sa.Column('received_at', UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_ticket_webhook_event'))
    )
    op.create_index(op.f('ix_ticket_webhook_event_payment_id'), 'ticket_webhook_event', ['payment_id'], unique=False)
    op.create_table('ticket_order',
    sa.Column('id', sa.String(length=20), nullable=False),
    sa.Column('account_id', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('total_cents', sa.Integer(), nullable=False),
    sa.Column('created_at', UtcDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', UtcDateTime(timezone=True), nullable=False),
    sa.Column('paid_at', UtcDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['fan_account.id'], name=op.f('fk_ticket_order_account_id_fan_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_order'))
    )
    op.create_index(op.f('ix_ticket_order_account_id'), 'ticket_order', ['account_id'], unique=False)
    op.create_index(op.f('ix_ticket_order_expires_at'), 'ticket_order', ['expires_at'], unique=False)
    op.create_index(op.f('ix_ticket_order_status'), 'ticket_order', ['status'], unique=False)
    op.create_table('ticket_purchase_slot',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.String(length=20), nullable=False),
    sa.Column('opens_at', UtcDateTime(timezone=True), nullable=False),
    sa.Column('closes_at', UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['fan_account.id'], name=op.f('fk_ticket_purchase_slot_account_id_fan_account')),
    sa.ForeignKeyConstraint(['draw_id'], ['ticket_draw.id'], name=op.f('fk_ticket_purchase_slot_draw_id_ticket_draw')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_purchase_slot')),
    sa.UniqueConstraint('draw_id', 'account_id', name=op.f('uq_ticket_purchase_slot_draw_id'))
    )
    op.create_index(op.f('ix_ticket_purchase_slot_account_id'), 'ticket_purchase_slot', ['account_id'], unique=False)
    op.create_index(op.f('ix_ticket_purchase_slot_draw_id'), 'ticket_purchase_slot', ['draw_id'], unique=False)
    op.create_table('ticket_payment',
    sa.Column('id', sa.String(length=20), nullable=False),
    sa.Column('order_id', sa.String(length=20), nullable=False),
    sa.Column('provider', sa.String(length=24), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['ticket_order.id'], name=op.f('fk_ticket_payment_order_id_ticket_order')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_payment'))
    )
    op.create_index(op.f('ix_ticket_payment_order_id'), 'ticket_payment', ['order_id'], unique=False)
    op.create_table('ticketed_session',
    sa.Column('session_code', sa.String(length=12), nullable=False),
    sa.Column('venue_code', sa.String(length=8), nullable=True),
    sa.Column('starts_at', UtcDateTime(timezone=True), nullable=False),
    sa.Column('sale_mode', sa.String(length=8), nullable=False),
    sa.Column('on_sale', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['session_code'], ['competition_session.code'], name=op.f('fk_ticketed_session_session_code_competition_session')),
    sa.PrimaryKeyConstraint('session_code', name=op.f('pk_ticketed_session'))
    )
    op.create_index(op.f('ix_ticketed_session_venue_code'), 'ticketed_session', ['venue_code'], unique=False)
    op.create_table('ticket_draw_entry',
    sa.Column('id', sa.String(length=16), nullable=False),
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.String(length=20), nullable=False),
    sa.Column('session_code', sa.String(length=12), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('created_at', UtcDateTime(timezone=True), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('won', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['fan_account.id'], name=op.f('fk_ticket_draw_entry_account_id_fan_account')),
    sa.ForeignKeyConstraint(['draw_id'], ['ticket_draw.id'], name=op.f('fk_ticket_draw_entry_draw_id_ticket_draw')),
    sa.ForeignKeyConstraint(['session_code'], ['ticketed_session.session_code'], name=op.f('fk_ticket_draw_entry_session_code_ticketed_session')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_draw_entry')),
    sa.UniqueConstraint('draw_id', 'account_id', 'session_code', name=op.f('uq_ticket_draw_entry_draw_id'))
    )
    op.create_index(op.f('ix_ticket_draw_entry_account_id'), 'ticket_draw_entry', ['account_id'], unique=False)
    op.create_index(op.f('ix_ticket_draw_entry_draw_id'), 'ticket_draw_entry', ['draw_id'], unique=False)
    op.create_table('ticket_inventory',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('session_code', sa.String(length=12), nullable=False),
    sa.Column('area_code', sa.String(length=16), nullable=False),
    sa.Column('area_name', sa.String(length=80), nullable=False),
    sa.Column('price_category', sa.String(length=2), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('price_cents', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('held', sa.Integer(), nullable=False),
    sa.Column('sold', sa.Integer(), nullable=False),
    sa.Column('seat_serial', sa.Integer(), nullable=False),
    sa.CheckConstraint('held >= 0 AND sold >= 0 AND sold + held <= capacity', name=op.f('ck_ticket_inventory_counters')),
    sa.ForeignKeyConstraint(['session_code'], ['ticketed_session.session_code'], name=op.f('fk_ticket_inventory_session_code_ticketed_session')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_inventory')),
    sa.UniqueConstraint('session_code', 'area_code', 'price_category', name=op.f('uq_ticket_inventory_session_code'))
    )
    op.create_index(op.f('ix_ticket_inventory_session_code'), 'ticket_inventory', ['session_code'], unique=False)
    op.create_table('ticket_order_line',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('order_id', sa.String(length=20), nullable=False),
    sa.Column('inventory_id', sa.Integer(), nullable=False),
    sa.Column('session_code', sa.String(length=12), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price_cents', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['inventory_id'], ['ticket_inventory.id'], name=op.f('fk_ticket_order_line_inventory_id_ticket_inventory')),
    sa.ForeignKeyConstraint(['order_id'], ['ticket_order.id'], name=op.f('fk_ticket_order_line_order_id_ticket_order'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_order_line'))
    )
    op.create_index(op.f('ix_ticket_order_line_inventory_id'), 'ticket_order_line', ['inventory_id'], unique=False)
    op.create_index(op.f('ix_ticket_order_line_order_id'), 'ticket_order_line', ['order_id'], unique=False)
    op.create_index(op.f('ix_ticket_order_line_session_code'), 'ticket_order_line', ['session_code'], unique=False)
    op.create_table('ticket',
    sa.Column('id', sa.String(length=20), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=True),
    sa.Column('session_code', sa.String(length=12), nullable=False),
    sa.Column('inventory_id', sa.Integer(), nullable=False),
    sa.Column('area_code', sa.String(length=16), nullable=False),
    sa.Column('seat', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('price_cents', sa.Integer(), nullable=False),
    sa.Column('holder_account_id', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('credential_serial', sa.Integer(), nullable=False),
    sa.Column('credential', sa.String(length=600), nullable=True),
    sa.Column('issued_at', UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['holder_account_id'], ['fan_account.id'], name=op.f('fk_ticket_holder_account_id_fan_account')),
    sa.ForeignKeyConstraint(['inventory_id'], ['ticket_inventory.id'], name=op.f('fk_ticket_inventory_id_ticket_inventory')),
    sa.ForeignKeyConstraint(['order_line_id'], ['ticket_order_line.id'], name=op.f('fk_ticket_order_line_id_ticket_order_line')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket'))
    )
    op.create_index(op.f('ix_ticket_holder_account_id'), 'ticket', ['holder_account_id'], unique=False)
    op.create_index(op.f('ix_ticket_order_line_id'), 'ticket', ['order_line_id'], unique=False)
    op.create_index(op.f('ix_ticket_session_code'), 'ticket', ['session_code'], unique=False)
    op.create_index(op.f('ix_ticket_status'), 'ticket', ['status'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_ticket_status'), table_name='ticket')
    op.drop_index(op.f('ix_ticket_session_code'), table_name='ticket')
    op.drop_index(op.f('ix_ticket_order_line_id'), table_name='ticket')
    op.drop_index(op.f('ix_ticket_holder_account_id'), table_name='ticket')
    op.drop_table('ticket')
    op.drop_index(op.f('ix_ticket_order_line_session_code'), table_name='ticket_order_line')
    op.drop_index(op.f('ix_ticket_order_line_order_id'), table_name='ticket_order_line')
    op.drop_index(op.f('ix_ticket_order_line_inventory_id'), table_name='ticket_order_line')
    op.drop_table('ticket_order_line')
    op.drop_index(op.f('ix_ticket_inventory_session_code'), table_name='ticket_inventory')
    op.drop_table('ticket_inventory')
    op.drop_index(op.f('ix_ticket_draw_entry_draw_id'), table_name='ticket_draw_entry')
    op.drop_index(op.f('ix_ticket_draw_entry_account_id'), table_name='ticket_draw_entry')
    op.drop_table('ticket_draw_entry')
    op.drop_index(op.f('ix_ticketed_session_venue_code'), table_name='ticketed_session')
    op.drop_table('ticketed_session')
    op.drop_index(op.f('ix_ticket_payment_order_id'), table_name='ticket_payment')
    op.drop_table('ticket_payment')
    op.drop_index(op.f('ix_ticket_purchase_slot_draw_id'), table_name='ticket_purchase_slot')
    op.drop_index(op.f('ix_ticket_purchase_slot_account_id'), table_name='ticket_purchase_slot')
    op.drop_table('ticket_purchase_slot')
    op.drop_index(op.f('ix_ticket_order_status'), table_name='ticket_order')
    op.drop_index(op.f('ix_ticket_order_expires_at'), table_name='ticket_order')
    op.drop_index(op.f('ix_ticket_order_account_id'), table_name='ticket_order')
    op.drop_table('ticket_order')
    op.drop_index(op.f('ix_ticket_webhook_event_payment_id'), table_name='ticket_webhook_event')
    op.drop_table('ticket_webhook_event')
    op.drop_table('ticket_draw')
    op.drop_table('fan_account')

