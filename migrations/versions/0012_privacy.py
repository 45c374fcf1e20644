"""privacy: erased accounts and retention notices

Revision ID: 0012_privacy
Revises: 0011_time_accommodation
Create Date: 2026-11-28 20:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_privacy'
down_revision = '0011_time_accommodation'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('erasure_notice_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('erasure_notice_at')
        batch_op.drop_column('erased_at')
