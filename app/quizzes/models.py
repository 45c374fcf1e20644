"""Quizzes as imported (one per quiz file of a version) and learners' attempts at them."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timeutil import utcnow

ATTEMPT_STATES = ("in_progress", "submitted", "abandoned")


class Quiz(db.Model):
    """A quiz file of one course version, parsed and rendered once at import; never changed."""

    __tablename__ = "quizzes"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("course_items.id", ondelete="CASCADE"), unique=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(300))
    settings: Mapped[dict] = mapped_column(JSON)
    questions: Mapped[list] = mapped_column(JSON)  # rendered text, type, points and answer key

    item = relationship("CourseItem")
    version = relationship("CourseVersion")


class Attempt(db.Model):
    """One try at a quiz: the questions drawn and their order are frozen at the start."""

    __tablename__ = "attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    state: Mapped[str] = mapped_column(String(20), default="in_progress")
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    deadline: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    layout: Mapped[list] = mapped_column(JSON)  # [{"q": index in quiz.questions, "order": [choice indexes]}]
    answers: Mapped[dict] = mapped_column(JSON, default=dict)  # position (str) -> response
    revision: Mapped[int] = mapped_column(default=0)  # bumped on every save; stale pages are refused
    score: Mapped[float | None]
    max_score: Mapped[float | None]
    percent: Mapped[float | None]
    passed: Mapped[bool | None]
    results: Mapped[list | None] = mapped_column(JSON)  # per position: fraction earned (None = to grade)
    comments: Mapped[dict | None] = mapped_column(JSON)  # position (str) -> a trainer's comment on an essay
    needs_grading: Mapped[bool] = mapped_column(default=False, server_default=false(), index=True)

    quiz = relationship("Quiz", lazy="joined")

    __table_args__ = (
        UniqueConstraint("quiz_id", "user_id", "number", name="uq_attempts_quiz_id_user_id_number"),
        CheckConstraint(f"state IN {ATTEMPT_STATES}", name="state"),
    )
