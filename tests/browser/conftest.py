"""Browser tests: the app served by a real server on 127.0.0.1, driven by the system Chromium.

One throwaway SQLite database and one server for the whole session (these tests do not use the
root conftest's `app` fixture, which runs every test on two database engines); one browser for the
session and a fresh browser context (cookies, language) for each test.
"""

import shutil
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from flask import abort
from flask_migrate import upgrade
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LANGUAGES = ("en", "bg")

LEARNER = ("learner@demo.academy", "learner-demo-2026")
TRAINER = ("trainer@demo.academy", "trainer-demo-2026")
STAFF = ("staff@demo.academy", "staff-demo-2026")
ADMIN = ("admin@demo.academy", "admin-demo-2026")


@dataclass
class LiveServer:
    """The served app: its address and what the session fixture prepared."""

    url: str
    app: object
    certificate_code: str

    def __call__(self, path=""):
        return self.url + path


def _prepare(app):
    """Demo accounts and courses, the learner enrolled, and one certificate to verify."""
    from app.accounts.demo import load_demo
    from app.accounts.models import find_user_by_email
    from app.certificates import services as certificates
    from app.content.models import Course
    from app.demo import load_demo_cohort, load_demo_courses, load_demo_skills_results
    from app.learning import services as learning

    upgrade()
    load_demo()
    load_demo_courses()
    load_demo_cohort()
    load_demo_skills_results()
    db.session.commit()
    learner = find_user_by_email(LEARNER[0])
    for slug in ("cyber-hygiene", "kiberhigiena"):
        learning.enrol(learner, db.session.scalar(db.select(Course).where(Course.slug == slug)))
    course = db.session.scalar(db.select(Course).where(Course.slug == "cyber-hygiene"))
    certificate = certificates.issue(learner, course, course.current_version, date.today())
    db.session.commit()
    return certificate.code


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app on a free port of 127.0.0.1, in a daemon thread, for the whole session."""
    folder = tmp_path_factory.mktemp("browser")
    server = make_server("127.0.0.1", 0, None, threaded=True)  # bind first: the app needs its own URL
    url = f"http://127.0.0.1:{server.server_port}"
    app = create_app({
        "ACADEMY_ENV": "testing",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'academy.sqlite3'}",
        "SERVER_URL": url,
        "KEYS_FOLDER": str(folder / "keys"),
        # Rate limits stay on (memory storage), as in production; only failed sign-ins count.
        "MAIL_BACKEND": "outbox",
        "MAIL_OUTBOX": str(folder / "outbox"),
    })
    with app.app_context():
        code = _prepare(app)
        db.engine.dispose()
    # A route only this test server has, so that the real error pages (429, 500, 503…) can be audited.
    app.add_url_rule("/test-only/error/<int:status>", "test_error", lambda status: abort(status))
    server.app = app
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(url=url, app=app, certificate_code=code)
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the session (never a downloaded browser)."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium is missing: install the Debian package `chromium` (tools/system-packages.sh test).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def language(request):
    """The interface language of the test; parametrise it (directly or through `page`) for others."""
    return getattr(request, "param", "en")


@pytest.fixture
def page(request, browser, live_server, language):
    """A fresh context (no cookies) per test, 1280×900, its browser asking for `language`."""
    language = getattr(request, "param", language)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=language,
                                  extra_http_headers={"Accept-Language": language}, base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.language = language
    yield page
    context.close()


def use_language(page, language=None):
    """Switch the interface with the header's language form unless it already shows `language`."""
    language = language or page.language
    if page.get_attribute("html", "lang") != language:
        with page.expect_navigation():
            page.click(f".lang-switch button[value='{language}']")
    assert page.get_attribute("html", "lang") == language


def login(page, email, password):
    """Sign in through the real form, then show the page's language (a profile may prefer another)."""
    page.goto("/account/login")
    page.fill("input[name='email']", email)
    page.fill("input[name='password']", password)
    with page.expect_navigation():
        page.click("main form button[type='submit']")
    assert page.locator(".site-nav form[action$='/logout']").count() == 1, f"Sign-in failed for {email}"
    _signed_in[email] = page.context.cookies()
    if hasattr(page, "language"):
        use_language(page)


_signed_in = {}  # e-mail -> the cookies (one server a session) of a session signed in through the form


def sign_in(page, email, password):
    """Like login(), but reuse the session cookie of an earlier sign-in through the form (faster)."""
    cookies = _signed_in.get(email)
    if cookies is None:
        login(page, email, password)
    else:
        page.context.add_cookies(cookies)


def screenshot(page, name):
    """Save a full-page screenshot under test-output/screenshots/ for review."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
