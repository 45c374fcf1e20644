"""Skills checks (imported from packages) and the results learners chose to keep.

A check is stored with its parsed definition; a new package replaces the definition and raises
`version`. A kept result holds its own answers and levels, so later changes to the check never
change what a learner saw.
"""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timeutil import utcnow


class SkillsCheck(db.Model):
    """A self-assessment in one language; checks in several languages are linked by translation_of."""

    __tablename__ = "skills_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    language: Mapped[str] = mapped_column(String(5))
    translation_of: Mapped[str | None] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(String(1000))
    published: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1)
    content_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(Text)  # course.md as written, for export
    definition: Mapped[dict] = mapped_column(JSON, default=dict)  # scale, target, areas with statements
    intro_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def family(self):
        """The slug shared by a check and its translations (the original's)."""
        return self.translation_of or self.slug

    @property
    def scale(self):
        """The answers offered, lowest first: [{"label", "explanation"}]."""
        return self.definition["scale"]

    @property
    def target(self):
        """The level on the scale (from 1) people should reach."""
        return self.definition["target"]

    @property
    def areas(self):
        """The DigComp areas with their competences and statements, in order."""
        return self.definition["areas"]

    def competences(self):
        """Every competence of the check, in order."""
        return [comp for area in self.areas for comp in area["competences"]]

    def statement_count(self):
        """How many statements the check asks about."""
        return sum(len(comp["statements"]) for comp in self.competences())

    def __repr__(self):
        return f"<SkillsCheck {self.slug}>"


class SkillsResult(db.Model):
    """A result a signed-in learner chose to keep: answers, a level per competence, and when."""

    __tablename__ = "skills_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("skills_checks.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)
    check_version: Mapped[int]
    target: Mapped[int]
    answers: Mapped[dict] = mapped_column(JSON)  # statement key -> rating
    levels: Mapped[dict] = mapped_column(JSON)  # competence id -> average rating

    check: Mapped[SkillsCheck] = relationship(lazy="joined")

    __table_args__ = (
        Index("ix_skills_results_user_id_taken_at", "user_id", "taken_at"),
        Index("ix_skills_results_check_id_taken_at", "check_id", "taken_at"),
    )
