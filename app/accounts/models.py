"""Users, organisations, login sessions, one-time tokens and site settings."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timeutil import utcnow

ROLES = ("learner", "trainer", "staff", "admin")
ORGANISATION_KINDS = ("municipality", "region", "agency", "other")
TOKEN_PURPOSES = ("reset", "invitation")
API_SCOPES = ("read", "write")
# Extra time in timed quizzes, granted by staff as an accommodation (WCAG 2.2.1): percent more, or no limit.
TIME_ACCOMMODATIONS = ("", "25", "50", "100", "none")


class Organisation(db.Model):
    """A public body whose employees are trained: a municipality, region or agency."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="municipality")
    country: Mapped[str] = mapped_column(String(2), default="BG")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        CheckConstraint(f"kind IN {ORGANISATION_KINDS}", name="kind"),
        db.UniqueConstraint("name", "country", name="uq_organisations_name_country"),
    )

    def __repr__(self):
        return f"<Organisation {self.name!r}>"


class User(UserMixin, db.Model):
    """A person with an account; the full name is printed on certificates."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="learner")
    language: Mapped[str | None] = mapped_column(String(5))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    time_accommodation: Mapped[str] = mapped_column(String(10), default="", server_default="")
    # GDPR: when the account was pseudonymised (app/accounts/erasure.py), and when the retention
    # notice "your account will be erased unless you sign in" was last sent (app/accounts/retention.py).
    erased_at: Mapped[datetime | None]
    erasure_notice_at: Mapped[datetime | None]

    organisation: Mapped[Organisation | None] = relationship(lazy="joined")

    __table_args__ = (
        CheckConstraint(f"role IN {ROLES}", name="role"),
        CheckConstraint(f"time_accommodation IN {TIME_ACCOMMODATIONS}", name="time_accommodation"),
    )

    # The token of the login session this object was loaded through (see LoginSession).
    login_token = None

    def get_id(self):
        """Flask-Login stores the login session's token, not the user id, in the cookie."""
        return self.login_token

    @property
    def is_active(self):
        return self.active

    @property
    def is_erased(self):
        return self.erased_at is not None

    @property
    def has_password(self):
        return bool(self.password_hash)

    def has_role(self, *roles):
        """Admins hold every role; anyone else holds exactly their own."""
        return self.role == "admin" or self.role in roles

    def __repr__(self):
        return f"<User {self.email!r} {self.role}>"


class LoginSession(db.Model):
    """One signed-in browser; revoking it logs that browser out even if its cookie is replayed."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")


class AccountToken(db.Model):
    """A single-use, expiring token sent by e-mail (password reset, invitation)."""

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")

    __table_args__ = (CheckConstraint(f"purpose IN {TOKEN_PURPOSES}", name="purpose"),)


class ApiToken(db.Model):
    """A personal token for the JSON API; only its hash is stored, the secret is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # the first characters, so people can tell tokens apart
    scope: Mapped[str] = mapped_column(String(10), default="read")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")

    __table_args__ = (CheckConstraint(f"scope IN {API_SCOPES}", name="scope"),)


class SiteSetting(db.Model):
    """A setting an admin can change at run time (e.g. whether registration is open)."""

    __tablename__ = "site_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(500))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def email_key(email):
    """Normalise an e-mail address for lookup: trimmed and lower-cased."""
    return (email or "").strip().lower()


def find_user_by_email(email):
    """Return the user with this e-mail address, ignoring case (addresses are stored lower-case)."""
    return db.session.scalar(db.select(User).where(User.email == email_key(email)))
