"""essay grading

Revision ID: 0005_essay_grading
Revises: 0004_quizzes
Create Date: 2026-11-28 15:09:43.953133

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_essay_grading'
down_revision = '0004_quizzes'
branch_labels = None
depends_on = None


def upgrade():

    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comments', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('needs_grading', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index(batch_op.f('ix_attempts_needs_grading'), ['needs_grading'], unique=False)




def downgrade():

    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attempts_needs_grading'))
        batch_op.drop_column('needs_grading')
        batch_op.drop_column('comments')


