"""Enrolments, lesson progress (by slug, so it survives new versions) and completions."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timeutil import utcnow

ENROLMENT_STATES = ("active", "withdrawn")


class Enrolment(db.Model):
    """A learner on a course, on one version of it; kept (withdrawn) when they leave."""

    __tablename__ = "enrolments"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id"))
    state: Mapped[str] = mapped_column(String(20), default="active")
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)
    enrolled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[datetime | None]
    last_item_slug: Mapped[str | None] = mapped_column(String(80))
    last_active_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]

    course = relationship("Course", lazy="joined")
    version = relationship("CourseVersion", lazy="joined")

    __table_args__ = (
        UniqueConstraint("user_id", "course_id", name="uq_enrolments_user_id_course_id"),
        CheckConstraint(f"state IN {ENROLMENT_STATES}", name="state"),
    )


class LessonProgress(db.Model):
    """A lesson a learner has completed, by slug: it carries over to new versions with that slug."""

    __tablename__ = "lesson_progress"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    item_slug: Mapped[str] = mapped_column(String(80))
    completed_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("enrolment_id", "item_slug", name="uq_lesson_progress_enrolment_id_item_slug"),)


class Completion(db.Model):
    """A course completed on one version; recorded once (the unique key holds under concurrency)."""

    __tablename__ = "completions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id"))
    completed_at: Mapped[datetime] = mapped_column(default=utcnow)

    course = relationship("Course", lazy="joined")
    version = relationship("CourseVersion", lazy="joined")

    __table_args__ = (
        UniqueConstraint("user_id", "course_id", "version_id", name="uq_completions_user_id_course_id_version_id"),
    )
