"""ticketing fans and holders

Revision ID: sovereign_0007
Revises: sovereign_0006
Create Date: 2026-11-29 17:20:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from podium.core.types import UtcDateTime

# revision identifiers, used by Alembic.
revision: str = 'sovereign_0007'
down_revision: Union[str, Sequence[str], None] = 'sovereign_0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    pass


def downgrade() -> None:
    """Downgrade schema."""
    pass
