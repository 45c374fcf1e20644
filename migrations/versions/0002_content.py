"""content: courses, versions, items, assets

Revision ID: 0002_content
Revises: 0001_accounts
Create Date: 2026-11-28 14:14:19.628207

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_content'
down_revision = '0001_accounts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('asset_blobs',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_asset_blobs'))
    )
    op.create_table('courses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('current_version_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_courses')),
    sa.UniqueConstraint('slug', name=op.f('uq_courses_slug'))
    )
    op.create_table('course_editors',
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_editors_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_course_editors_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('course_id', 'user_id', name=op.f('pk_course_editors'))
    )
    with op.batch_alter_table('course_editors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_editors_user_id'), ['user_id'], unique=False)

    op.create_table('course_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('summary', sa.String(length=1000), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=True),
    sa.Column('hours', sa.Double(), nullable=False),
    sa.Column('access', sa.String(length=20), nullable=False),
    sa.Column('license', sa.String(length=100), nullable=True),
    sa.Column('translation_of', sa.String(length=80), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('course_source', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("access IN ('public', 'registered')", name=op.f('ck_course_versions_access')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_versions_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_course_versions_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_versions')),
    sa.UniqueConstraint('course_id', 'number', name='uq_course_versions_course_id_number')
    )
    with op.batch_alter_table('course_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_versions_course_id'), ['course_id'], unique=False)
    # courses and course_versions refer to each other: add this key once both exist.
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_courses_current_version_id_course_versions'),
                                    'course_versions', ['current_version_id'], ['id'], ondelete='SET NULL')

    op.create_table('assets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['sha256'], ['asset_blobs.sha256'], name=op.f('fk_assets_sha256_asset_blobs')),
    sa.ForeignKeyConstraint(['version_id'], ['course_versions.id'], name=op.f('fk_assets_version_id_course_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assets')),
    sa.UniqueConstraint('version_id', 'path', name='uq_assets_version_id_path')
    )
    with op.batch_alter_table('assets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assets_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_assets_version_id'), ['version_id'], unique=False)

    op.create_table('course_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('filename', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('toc_html', sa.Text(), nullable=False),
    sa.CheckConstraint("kind IN ('lesson', 'quiz')", name=op.f('ck_course_items_kind')),
    sa.ForeignKeyConstraint(['version_id'], ['course_versions.id'], name=op.f('fk_course_items_version_id_course_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_items')),
    sa.UniqueConstraint('version_id', 'slug', name='uq_course_items_version_id_slug')
    )
    with op.batch_alter_table('course_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_items_version_id'), ['version_id'], unique=False)

    


def downgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_courses_current_version_id_course_versions'), type_='foreignkey')
    with op.batch_alter_table('course_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_items_version_id'))

    op.drop_table('course_items')
    with op.batch_alter_table('assets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assets_version_id'))
        batch_op.drop_index(batch_op.f('ix_assets_sha256'))

    op.drop_table('assets')
    with op.batch_alter_table('course_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_versions_course_id'))

    op.drop_table('course_versions')
    with op.batch_alter_table('course_editors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_editors_user_id'))

    op.drop_table('course_editors')
    op.drop_table('courses')
    op.drop_table('asset_blobs')
    
