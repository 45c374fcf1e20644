"""certificates

Revision ID: 0006_certificates
Revises: 0005_essay_grading
Create Date: 2026-11-28 15:21:44.437540

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_certificates'
down_revision = '0005_essay_grading'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('learner_name', sa.String(length=200), nullable=False),
    sa.Column('course_title', sa.String(length=300), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('hours', sa.Double(), nullable=False),
    sa.Column('competences', sa.JSON(), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_reason', sa.Text(), nullable=True),
    sa.Column('superseded_by_id', sa.Integer(), nullable=True),
    sa.Column('expiry_notice_sent_at', sa.DateTime(), nullable=True),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.Column('pdf_template', sa.String(length=40), nullable=True),
    sa.CheckConstraint("state IN ('valid', 'superseded', 'revoked')", name=op.f('ck_certificates_state')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_certificates_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_certificates_issued_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['superseded_by_id'], ['certificates.id'], name=op.f('fk_certificates_superseded_by_id_certificates')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_certificates_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['course_versions.id'], name=op.f('fk_certificates_version_id_course_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('code', name=op.f('uq_certificates_code'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificates_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_certificates_one_valid', ['user_id', 'course_id', 'version_id'], unique=True, sqlite_where=sa.text("state = 'valid'"), postgresql_where=sa.text("state = 'valid'"))




def downgrade():

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index('uq_certificates_one_valid', sqlite_where=sa.text("state = 'valid'"), postgresql_where=sa.text("state = 'valid'"))
        batch_op.drop_index(batch_op.f('ix_certificates_user_id'))
        batch_op.drop_index(batch_op.f('ix_certificates_course_id'))

    op.drop_table('certificates')

