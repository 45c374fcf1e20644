"""Certificates: one valid per learner, course and version; re-issues and revocations keep history."""

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timeutil import utcnow

STATES = ("valid", "superseded", "revoked")


class Certificate(db.Model):
    """What was certified, frozen at issue time (a later name or course change needs a re-issue)."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id"))
    state: Mapped[str] = mapped_column(String(20), default="valid")
    learner_name: Mapped[str] = mapped_column(String(200))
    course_title: Mapped[str] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(5))
    hours: Mapped[float]
    competences: Mapped[list] = mapped_column(JSON, default=list)
    completed_on: Mapped[date]
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    valid_until: Mapped[date | None]
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str | None] = mapped_column(Text)  # why staff issued or re-issued it by hand
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    expiry_notice_sent_at: Mapped[datetime | None]
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)  # rendered once; re-rendered when the template changes
    pdf_template: Mapped[str | None] = mapped_column(String(40))

    __table_args__ = (
        CheckConstraint(f"state IN {STATES}", name="state"),
        # One valid certificate per learner, course and version, enforced by the database.
        Index("uq_certificates_one_valid", "user_id", "course_id", "version_id", unique=True,
              sqlite_where=text("state = 'valid'"), postgresql_where=text("state = 'valid'")),
    )

    def status_on(self, day):
        """'valid', 'expired', 'revoked' or 'superseded' on a given date."""
        if self.state != "valid":
            return self.state
        if self.valid_until is not None and day > self.valid_until:
            return "expired"
        return "valid"


class BulkJob(db.Model):
    """Staff issue and render many certificates at once; the page follows its progress."""

    __tablename__ = "bulk_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(20), default="waiting")  # waiting | running | done | failed
    certificate_ids: Mapped[list] = mapped_column(JSON, default=list)
    done: Mapped[int] = mapped_column(default=0)
    failures: Mapped[list] = mapped_column(JSON, default=list)  # [{"id": ..., "error": ...}]
    archive: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
