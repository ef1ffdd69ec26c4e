"""ticket transfers and resale

Revision ID: games_0010
Revises: games_0009
Create Date: 2026-11-29 17:45:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from podium.core.types import UtcDateTime

# revision identifiers, used by Alembic.
revision: str = 'games_0010'
down_revision: Union[str, Sequence[str], None] = 'games_0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('ticket_revocation',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('ticket_number', sa.Integer(), nullable=False),
    sa.Column('serial', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('revoked_at', UtcDateTime(timezone=True), nullable=False),
    sa.Column('list_serial', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_revocation')),
    sa.UniqueConstraint('ticket_number', 'serial', name=op.f('uq_ticket_revocation_ticket_number'))
    )
    op.create_index(op.f('ix_ticket_revocation_list_serial'), 'ticket_revocation', ['list_serial'], unique=False)
    op.create_index(op.f('ix_ticket_revocation_ticket_number'), 'ticket_revocation', ['ticket_number'], unique=False)
    op.create_table('ticket_revocation_list',
    sa.Column('serial', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('published_at', UtcDateTime(timezone=True), nullable=False),
    sa.Column('entries', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('serial', name=op.f('pk_ticket_revocation_list'))
    )
    op.create_table('ticket_issue',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('ticket_id', sa.String(length=20), nullable=False),
    sa.Column('serial', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=12), nullable=False),
    sa.Column('issued_at', UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['fan_account.id'], name=op.f('fk_ticket_issue_account_id_fan_account')),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_ticket_issue_ticket_id_ticket')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_issue')),
    sa.UniqueConstraint('ticket_id', 'serial', name=op.f('uq_ticket_issue_ticket_id'))
    )
    op.create_index(op.f('ix_ticket_issue_account_id'), 'ticket_issue', ['account_id'], unique=False)
    op.create_index(op.f('ix_ticket_issue_ticket_id'), 'ticket_issue', ['ticket_id'], unique=False)
    op.create_table('ticket_number',
    sa.Column('number', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('ticket_id', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_ticket_number_ticket_id_ticket')),
    sa.PrimaryKeyConstraint('number', name=op.f('pk_ticket_number')),
    sa.UniqueConstraint('ticket_id', name=op.f('uq_ticket_number_ticket_id'))
    )
    op.create_table('ticket_resale_listing',
    sa.Column('id', sa.String(length=20), nullable=False),
    sa.Column('ticket_id', sa.String(length=20), nullable=False),
    sa.Column('seller_account_id', sa.String(length=20), nullable=False),
    sa.Column('session_code', sa.String(length=12), nullable=False),
    sa.Column('serial', sa.Integer(), nullable=False),
    sa.Column('price_cents', sa.Integer(), nullable=False),
    sa.Column('seller_fee_cents', sa.Integer(), nullable=False),
    sa.Column('buyer_fee_cents', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('listed_at', UtcDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['seller_account_id'], ['fan_account.id'], name=op.f('fk_ticket_resale_listing_seller_account_id_fan_account')),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_ticket_resale_listing_ticket_id_ticket')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_resale_listing'))
    )
    op.create_index(op.f('ix_ticket_resale_listing_seller_account_id'), 'ticket_resale_listing', ['seller_account_id'], unique=False)
    op.create_index(op.f('ix_ticket_resale_listing_session_code'), 'ticket_resale_listing', ['session_code'], unique=False)
    op.create_index(op.f('ix_ticket_resale_listing_status'), 'ticket_resale_listing', ['status'], unique=False)
    op.create_index(op.f('ix_ticket_resale_listing_ticket_id'), 'ticket_resale_listing', ['ticket_id'], unique=False)
    op.create_table('ticket_transfer',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('ticket_id', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('from_account_id', sa.String(length=20), nullable=False),
    sa.Column('to_account_id', sa.String(length=20), nullable=False),
    sa.Column('from_serial', sa.Integer(), nullable=False),
    sa.Column('to_serial', sa.Integer(), nullable=False),
    sa.Column('at', UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['from_account_id'], ['fan_account.id'], name=op.f('fk_ticket_transfer_from_account_id_fan_account')),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_ticket_transfer_ticket_id_ticket')),
    sa.ForeignKeyConstraint(['to_account_id'], ['fan_account.id'], name=op.f('fk_ticket_transfer_to_account_id_fan_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_transfer'))
    )
    op.create_index(op.f('ix_ticket_transfer_from_account_id'), 'ticket_transfer', ['from_account_id'], unique=False)
    op.create_index(op.f('ix_ticket_transfer_ticket_id'), 'ticket_transfer', ['ticket_id'], unique=False)
    op.create_index(op.f('ix_ticket_transfer_to_account_id'), 'ticket_transfer', ['to_account_id'], unique=False)
    op.create_table('ticket_resale_trade',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('listing_id', sa.String(length=20), nullable=False),
    sa.Column('buyer_account_id', sa.String(length=20), nullable=False),
    sa.Column('order_id', sa.String(length=20), nullable=False),
    sa.Column('payment_id', sa.String(length=20), nullable=False),
    sa.Column('buyer_paid_cents', sa.Integer(), nullable=False),
    sa.Column('seller_credit_cents', sa.Integer(), nullable=False),
    sa.Column('at', UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['buyer_account_id'], ['fan_account.id'], name=op.f('fk_ticket_resale_trade_buyer_account_id_fan_account')),
    sa.ForeignKeyConstraint(['listing_id'], ['ticket_resale_listing.id'], name=op.f('fk_ticket_resale_trade_listing_id_ticket_resale_listing')),
    sa.ForeignKeyConstraint(['order_id'], ['ticket_order.id'], name=op.f('fk_ticket_resale_trade_order_id_ticket_order')),
    sa.ForeignKeyConstraint(['payment_id'], ['ticket_payment.id'], name=op.f('fk_ticket_resale_trade_payment_id_ticket_payment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_resale_trade')),
    sa.UniqueConstraint('listing_id', name=op.f('uq_ticket_resale_trade_listing_id'))
    )
    op.create_index(op.f('ix_ticket_resale_trade_buyer_account_id'), 'ticket_resale_trade', ['buyer_account_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_ticket_resale_trade_buyer_account_id'), table_name='ticket_resale_trade')
    op.drop_table('ticket_resale_trade')
    op.drop_index(op.f('ix_ticket_transfer_to_account_id'), table_name='ticket_transfer')
    op.drop_index(op.f('ix_ticket_transfer_ticket_id'), table_name='ticket_transfer')
    op.drop_index(op.f('ix_ticket_transfer_from_account_id'), table_name='ticket_transfer')
    op.drop_table('ticket_transfer')
    op.drop_index(op.f('ix_ticket_resale_listing_ticket_id'), table_name='ticket_resale_listing')
    op.drop_index(op.f('ix_ticket_resale_listing_status'), table_name='ticket_resale_listing')
    op.drop_index(op.f('ix_ticket_resale_listing_session_code'), table_name='ticket_resale_listing')
    op.drop_index(op.f('ix_ticket_resale_listing_seller_account_id'), table_name='ticket_resale_listing')
    op.drop_table('ticket_resale_listing')
    op.drop_table('ticket_number')
    op.drop_index(op.f('ix_ticket_issue_ticket_id'), table_name='ticket_issue')
    op.drop_index(op.f('ix_ticket_issue_account_id'), table_name='ticket_issue')
    op.drop_table('ticket_issue')
    op.drop_table('ticket_revocation_list')
    op.drop_index(op.f('ix_ticket_revocation_ticket_number'), table_name='ticket_revocation')
    op.drop_index(op.f('ix_ticket_revocation_list_serial'), table_name='ticket_revocation')
    op.drop_table('ticket_revocation')
    # ### end Alembic commands ###
