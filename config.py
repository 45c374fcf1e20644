"""Configuration classes; every secret and deployment choice comes from the environment."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("ACADEMY_INSTANCE_DIR", BASE_DIR / "instance"))


def _env_bool(name, default):
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name, default):
    """Read an integer environment variable."""
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _database_url():
    """Return DATABASE_URL, defaulting to SQLite in the instance folder; psycopg 3 for PostgreSQL."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'academy.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = _database_url()
    # hide_parameters: a database error logged with its traceback must not carry the values of the
    # statement (e-mail addresses, names, answers).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}

    # Branding: the hub runs the platform under its own name and colours.
    PLATFORM_NAME = os.environ.get("PLATFORM_NAME", "Cyber4All Academy")
    HUB_NAME = os.environ.get("HUB_NAME", "Cyber4All European Digital Innovation Hub")
    # Names printed in Bulgarian (pages, e-mails and certificates in Bulgarian); HUB_NAME when empty.
    HUB_NAME_BG = os.environ.get("HUB_NAME_BG", "Европейски цифров иновационен хъб Cyber4All")
    HUB_URL = os.environ.get("HUB_URL", "")
    BRAND_LOGO = os.environ.get("BRAND_LOGO", "img/logo.svg")
    BRAND_COLOR = os.environ.get("BRAND_COLOR", "#1d4f91")
    BRAND_ACCENT = os.environ.get("BRAND_ACCENT", "#0b6e4f")
    CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "academy@cyber4all.example")
    SIGNATORY_NAME = os.environ.get("SIGNATORY_NAME", "Dr. Elena Georgieva")
    SIGNATORY_TITLE = os.environ.get("SIGNATORY_TITLE", "Director, Cyber4All EDIH")
    SIGNATORY_NAME_BG = os.environ.get("SIGNATORY_NAME_BG", "д-р Елена Георгиева")
    SIGNATORY_TITLE_BG = os.environ.get("SIGNATORY_TITLE_BG", "Директор на ЕЦИХ Cyber4All")
    CONTENT_LICENSE = os.environ.get("CONTENT_LICENSE", "CC-BY-4.0")

    # Languages: Bulgarian and English from day one.
    LANGUAGES = {"bg": "Български", "en": "English"}
    BABEL_DEFAULT_LOCALE = os.environ.get("DEFAULT_LANGUAGE", "bg")
    BABEL_DEFAULT_TIMEZONE = os.environ.get("TIMEZONE", "Europe/Sofia")
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "app" / "translations")

    # Accounts.
    REGISTRATION_MODE = os.environ.get("REGISTRATION_MODE", "open")  # open | invitation
    PASSWORD_MIN_LENGTH = 10
    # Argon2id; RFC 9106's second recommended option, well above Werkzeug's scrypt defaults.
    PASSWORD_HASH = {"time_cost": 3, "memory_cost": 65536, "parallelism": 4}
    RESET_TOKEN_HOURS = 2
    INVITATION_TOKEN_DAYS = 14
    LOGIN_SESSION_DAYS = 30

    # Skills checks: the needs report never shows a group of fewer people than this (an admin can
    # raise or lower it at /staff/skills; at least 2).
    SKILLS_MIN_GROUP_SIZE = _env_int("SKILLS_MIN_GROUP_SIZE", 5)

    # Throttling of failed logins: per account it is strict; per address it is generous,
    # because a whole municipality may sit behind one NAT address.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Explicit, because the Limiter object is shared and would otherwise keep the last app's choice.
    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = False
    LOGIN_FAILURES_PER_ACCOUNT = os.environ.get("LOGIN_FAILURES_PER_ACCOUNT", "5 per 15 minutes")
    LOGIN_FAILURES_PER_ADDRESS = os.environ.get("LOGIN_FAILURES_PER_ADDRESS", "100 per 15 minutes")
    REGISTRATIONS_PER_ADDRESS = os.environ.get("REGISTRATIONS_PER_ADDRESS", "50 per hour")
    RESET_REQUESTS_PER_ADDRESS = os.environ.get("RESET_REQUESTS_PER_ADDRESS", "20 per hour")
    PROXY_FIX_X_FOR = _env_int("PROXY_FIX_X_FOR", 0)

    # Cookies.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = timedelta(days=LOGIN_SESSION_DAYS)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    MAX_CONTENT_LENGTH = 105 * 1024 * 1024  # a course package may be 100 MB
    WTF_CSRF_TIME_LIMIT = None  # a form left open between citizens must still submit

    # E-mail: "smtp" sends, "outbox" writes .eml files to instance/outbox for development.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "academy@cyber4all.example")
    MAIL_OUTBOX = str(INSTANCE_DIR / "outbox")
    # Host names this site answers to (comma-separated); others get 400. Empty = any.
    TRUSTED_HOSTS = [h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h.strip()] or None
    # Absolute links in e-mails are built from this, never from the request's Host header.
    SERVER_URL = os.environ.get("SERVER_URL", "http://127.0.0.1:5000")


class DevelopmentConfig(Config):
    """Local development: SQLite, e-mails to the outbox folder, a generated secret key."""

    ENV_NAME = "development"
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "outbox")


class TestConfig(Config):
    """The test suite: fast password hashing, no CSRF shortcuts (tests send real tokens)."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    PASSWORD_HASH = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}
    RATELIMIT_STORAGE_URI = "memory://"
    MAIL_BACKEND = "smtp"
    MAIL_SERVER = "127.0.0.1"
    SERVER_URL = "http://academy.test"


class ProductionConfig(Config):
    """Production: a real secret key is required and cookies are Secure."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestConfig,
    "production": ProductionConfig,
}


def load_config(name=None):
    """Return the config class for ACADEMY_ENV (or `name`), development by default."""
    name = (name or os.environ.get("ACADEMY_ENV") or "development").strip().lower()
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"Unknown ACADEMY_ENV {name!r}; use one of {', '.join(CONFIGS)}") from None


def development_secret_key(instance_dir):
    """Return the development secret key kept in the instance folder, creating it once."""
    path = Path(instance_dir) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
