"""Courses, their versions, the lessons and quizzes of each version, and their assets.

A version is immutable once imported: learners, attempts and certificates refer to the
version they used, and a new package makes a new version rather than changing one.
"""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timeutil import utcnow

LEVELS = ("beginner", "intermediate", "advanced")
ACCESS = ("public", "registered")
ITEM_KINDS = ("lesson", "quiz")


class Course(db.Model):
    """A course in one language; its content lives in versions."""

    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    language: Mapped[str] = mapped_column(String(5))
    published: Mapped[bool] = mapped_column(default=False)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("course_versions.id", use_alter=True, ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    current_version: Mapped["CourseVersion | None"] = relationship(
        foreign_keys=[current_version_id], post_update=True, lazy="joined"
    )
    editors: Mapped[list["CourseEditor"]] = relationship(back_populates="course", cascade="all, delete-orphan")

    def __repr__(self):
        return f"<Course {self.slug}>"


class CourseEditor(db.Model):
    """A trainer who owns or co-authors a course and may change it."""

    __tablename__ = "course_editors"

    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    course: Mapped[Course] = relationship(back_populates="editors")


class CourseVersion(db.Model):
    """One imported package of a course: its settings, description, lessons, quizzes and assets."""

    __tablename__ = "course_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(5))
    summary: Mapped[str] = mapped_column(String(1000))
    level: Mapped[str | None] = mapped_column(String(20))
    hours: Mapped[float]
    access: Mapped[str] = mapped_column(String(20), default="public")
    license: Mapped[str | None] = mapped_column(String(100))
    translation_of: Mapped[str | None] = mapped_column(String(80))
    search_text: Mapped[str] = mapped_column(Text, default="")  # case-folded title, summary, competences
    settings: Mapped[dict] = mapped_column(JSON, default=dict)  # competences, prerequisites, certificate, authors
    course_source: Mapped[str] = mapped_column(Text)  # course.md as written
    description_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None]

    course: Mapped[Course] = relationship(foreign_keys=[course_id])
    items: Mapped[list["CourseItem"]] = relationship(
        back_populates="version", order_by="CourseItem.position", cascade="all, delete-orphan"
    )
    assets: Mapped[list["Asset"]] = relationship(back_populates="version", cascade="all, delete-orphan")

    __table_args__ = (
        UniqueConstraint("course_id", "number", name="uq_course_versions_course_id_number"),
        CheckConstraint(f"access IN {ACCESS}", name="access"),
    )

    @property
    def competences(self):
        return self.settings.get("competences", [])

    @property
    def prerequisites(self):
        return self.settings.get("prerequisites", [])

    @property
    def certificate(self):
        return self.settings.get("certificate", {})

    @property
    def authors(self):
        return self.settings.get("authors", [])

    @property
    def lessons(self):
        return [item for item in self.items if item.kind == "lesson"]

    @property
    def quizzes(self):
        return [item for item in self.items if item.kind == "quiz"]


class CourseItem(db.Model):
    """A lesson or a quiz of one version, in the order its number gives."""

    __tablename__ = "course_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(10))
    slug: Mapped[str] = mapped_column(String(80))
    filename: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(300))
    minutes: Mapped[int | None]
    source: Mapped[str] = mapped_column(Text)  # the file as written, front matter included
    html: Mapped[str] = mapped_column(Text, default="")  # rendered once at import
    toc_html: Mapped[str] = mapped_column(Text, default="")

    version: Mapped[CourseVersion] = relationship(back_populates="items")

    __table_args__ = (
        UniqueConstraint("version_id", "slug", name="uq_course_items_version_id_slug"),
        CheckConstraint(f"kind IN {ITEM_KINDS}", name="kind"),
    )


class AssetBlob(db.Model):
    """File content, stored once however many versions use it; addressed by its SHA-256."""

    __tablename__ = "asset_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int]


class Asset(db.Model):
    """A file under assets/ in one version."""

    __tablename__ = "assets"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(ForeignKey("asset_blobs.sha256"), index=True)
    media_type: Mapped[str] = mapped_column(String(100))

    version: Mapped[CourseVersion] = relationship(back_populates="assets")

    __table_args__ = (UniqueConstraint("version_id", "path", name="uq_assets_version_id_path"),)
