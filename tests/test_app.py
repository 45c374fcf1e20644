"""The application shell: configuration, health check, headers, cookies and error pages."""

import pytest

from app import create_app
from app.extensions import db
from app.pages.branding import brand_css, contrast_with_white
from config import ProductionConfig
from tests.helpers import submit


def test_production_refuses_to_start_without_secret_key():
    """A production server never runs with a guessable or empty secret key."""
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"ACADEMY_ENV": "production", "SECRET_KEY": None, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_cookies_are_secure(tmp_path):
    """In production, session and remember cookies are Secure, HttpOnly and SameSite=Lax."""
    app = create_app({"ACADEMY_ENV": "production", "SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    for prefix in ("SESSION_COOKIE", "REMEMBER_COOKIE"):
        assert app.config[f"{prefix}_SECURE"] is True
        assert app.config[f"{prefix}_HTTPONLY"] is True
        assert app.config[f"{prefix}_SAMESITE"] == "Lax"


def test_production_password_hashing_is_stronger_than_werkzeug_default():
    """Argon2id with at least 64 MiB and 3 passes: costlier to crack than scrypt's default 32 MiB."""
    assert ProductionConfig.PASSWORD_HASH["memory_cost"] >= 65536
    assert ProductionConfig.PASSWORD_HASH["time_cost"] >= 3


def test_development_generates_and_keeps_a_secret_key(tmp_path, monkeypatch):
    """Development makes a secret key once and reuses it, so sessions survive restarts."""
    import config as config_module

    monkeypatch.setattr("app.INSTANCE_DIR", tmp_path)
    first = create_app({"ACADEMY_ENV": "development", "SECRET_KEY": None, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    second = create_app({"ACADEMY_ENV": "development", "SECRET_KEY": None, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert config_module.load_config("development").MAIL_BACKEND in ("outbox", "smtp")


def test_unknown_environment_name_is_refused():
    """A typo in ACADEMY_ENV stops the start with a clear message."""
    with pytest.raises(RuntimeError, match="Unknown ACADEMY_ENV"):
        create_app("prodution")


def test_wsgi_module_exposes_app(monkeypatch, tmp_path):
    """`gunicorn wsgi:app` finds a Flask app."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    import importlib

    import wsgi

    importlib.reload(wsgi)
    assert wsgi.app.name == "app"


def test_database_url_postgres_scheme_uses_psycopg(monkeypatch):
    """DATABASE_URL in the usual postgres:// form is driven by psycopg 3."""
    import config as config_module

    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example/academy")
    assert config_module._database_url() == "postgresql+psycopg://u:p@db.example/academy"


def test_healthz_reports_database_ok(client):
    """Monitoring sees 200 and "ok" while the database answers."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def _app_without_database(tmp_path):
    missing = tmp_path / "no-such-folder" / "academy.sqlite3"
    return create_app({"ACADEMY_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing}"})


def test_healthz_reports_database_failure(tmp_path):
    """When the database is gone, /healthz says so with 503 instead of crashing."""
    response = _app_without_database(tmp_path).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "unavailable"}


def test_database_gone_mid_session_gives_an_error_page(tmp_path, client, make_user, login):
    """A signed-in user whose database vanished gets the friendly 503 page ("try again"), not a traceback."""
    login(make_user())
    cookie = client.get_cookie("session").value
    broken = _app_without_database(tmp_path).test_client()
    broken.set_cookie("session", cookie)
    response = broken.get("/account/profile")
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert "Услугата е временно недостъпна" in page and "Traceback" not in page  # the default language



def test_security_headers_on_every_page(client):
    """Pages forbid framing, inline scripts and MIME sniffing, and keep referrers on-site."""
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert client.get("/does-not-exist").headers["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_scripts_or_styles(client):
    """The strict CSP holds: no inline <script> or style attribute in the layout."""
    page = client.get("/account/login").get_data(as_text=True)
    assert "<script>" not in page and " style=" not in page and "onclick" not in page


def test_session_cookie_flags(client, make_user, login):
    """The session cookie is HttpOnly and SameSite=Lax so scripts and other sites cannot use it."""
    login(make_user())
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"


@pytest.mark.parametrize("language, title", [("en", "Page not found"), ("bg", "Страницата не е намерена")])
def test_404_page_in_the_users_language(client, language, title):
    """A mistyped address gives a friendly page in the visitor's language, with a way forward."""
    response = client.get("/no/such/page", headers={"Accept-Language": language})
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert title in page and f'<html lang="{language}">' in page
    assert 'href="/"' in page


@pytest.mark.parametrize("code", [400, 403, 404, 405, 429, 500, 503])
def test_every_error_page_is_translated(app, code):
    """Each error page has its own Bulgarian title and text (none left in English)."""
    from flask_babel import force_locale

    from app.errors import MESSAGES, render_error

    with app.test_request_context(headers={"Accept-Language": "bg"}):
        html, status, _headers = render_error(code)
        with force_locale("en"):
            english = [str(text) for text in MESSAGES[code]]
        with force_locale("bg"):
            bulgarian = [str(text) for text in MESSAGES[code]]
    assert status == code and '<html lang="bg">' in html
    for en_text, bg_text in zip(english, bulgarian, strict=True):
        assert en_text != bg_text and bg_text in html and en_text not in html


def test_unexpected_error_gives_500_page_and_loses_nothing(app, client, make_user, login, monkeypatch):
    """A crash in a view rolls back its half-done work and shows a calm 500 page."""
    user = make_user(full_name="Original Name")
    login(user)

    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("app.accounts.services.update_profile", crash)
    response = submit(client, "/account/profile", {"full_name": "New Name", "organisation_id": "", "language": "en"})
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(user), user.id).full_name == "Original Name"


def test_csrf_failure_is_explained(client):
    """A form sent without its token explains that it expired, in plain words."""
    response = client.post("/account/reset", data={"email": "a@b.bg"})
    assert response.status_code == 400
    assert "The form had expired" in response.get_data(as_text=True)


def test_brand_colours_are_configurable_but_safe(app):
    """Hub colours are used when valid and readable; CSS injection or pale colours fall back."""
    assert "--brand:#003366" in brand_css({"BRAND_COLOR": "#003366"})
    assert "--brand:#1d4f91" in brand_css({"BRAND_COLOR": "red;} body{display:none"})
    assert "--brand:#1d4f91" in brand_css({"BRAND_COLOR": "#ffff00"})
    assert contrast_with_white("#1d4f91") > 4.5


def test_branding_appears_in_layout(app, client):
    """Platform name, hub name and logo come from the configuration."""
    app.config.update(PLATFORM_NAME="Академия Пловдив", HUB_NAME="EDIH Trakia")
    page = client.get("/").get_data(as_text=True)
    assert "Академия Пловдив" in page and "EDIH Trakia" in page
    assert "/static/img/logo.svg" in page


def test_layout_landmarks_and_skip_link(client):
    """Every page starts with a skip link and has one main, a header, a nav and a footer."""
    page = client.get("/").get_data(as_text=True)
    assert page.index('class="skip-link" href="#main"') < page.index("<header")
    assert page.count("<main") == 1 and "<nav" in page and "<footer" in page


def test_static_assets_are_served(client):
    """The stylesheet, logo and brand colours load."""
    for path in ("/static/css/academy.css", "/static/img/logo.svg", "/static/img/favicon.svg", "/brand.css"):
        assert client.get(path).status_code == 200, path


def test_static_urls_are_fingerprinted_and_cached_for_a_year(app, client):
    """Static files are linked with a content fingerprint and may then be cached for a year;
    an old or missing fingerprint is not cached that long, so a release never serves stale CSS."""
    import hashlib
    import re
    from pathlib import Path

    page = client.get("/").get_data(as_text=True)
    [version] = re.findall(r'/static/css/academy\.css\?v=([0-9a-f]{12})"', page)
    css = Path(app.static_folder, "css", "academy.css").read_bytes()
    assert version == hashlib.sha256(css).hexdigest()[:12]
    current = client.get(f"/static/css/academy.css?v={version}")
    assert "max-age=31536000" in current.headers["Cache-Control"] and "immutable" in current.headers["Cache-Control"]
    for stale in ("/static/css/academy.css?v=000000000000", "/static/css/academy.css"):
        assert "max-age=31536000" not in client.get(stale).headers.get("Cache-Control", "")
