"""Injection: hostile text from people and trainers is shown as text everywhere; searches are not SQL.

One shared payload list (tests/data/xss_payloads.txt plus template-injection strings) is planted
in every place where someone can type text that others then see, and every page that shows it is
parsed for markup that could run: script elements, event-handler attributes, script URLs, frames,
objects, base and refresh elements.
"""

from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape

from app.accounts.models import Organisation
from app.cohorts.models import Cohort
from app.extensions import db
from tests.content import packages
from tests.helpers import submit

XSS = [line for line in (Path(__file__).parent.parent / "data" / "xss_payloads.txt").read_text().splitlines()
       if line.strip()]
TEMPLATE_INJECTION = ["{{ 7*7 }}", "{{ config }}", "{% for x in range(3) %}boom{% endfor %}", "${7*7}",
                      "#{7*7}", "{{ self.__init__.__globals__ }}", "<%= 7*7 %>"]
PAYLOADS = XSS + TEMPLATE_INJECTION
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background"}
FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}


class _RunnableMarkup(HTMLParser):
    """Collects every piece of markup that a browser could run or that could redirect the page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.findings.append(f"<{tag}>")
        if tag == "script":
            self._in_script = True
            if not dict(attrs).get("src", "").startswith("/static/"):
                self.findings.append(f"script {attrs}")
        if tag == "meta" and (dict(attrs).get("http-equiv") or "").lower() == "refresh":
            self.findings.append("meta refresh")
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append(f"{tag} {name}={value!r}")
            cleaned = "".join((value or "").split()).lower()
            if name in URL_ATTRIBUTES and cleaned.startswith(("javascript:", "vbscript:", "data:text")):
                self.findings.append(f"{tag} {name}={value!r}")
            if name == "style" and ("expression(" in cleaned or "javascript:" in cleaned or "behavior" in cleaned):
                self.findings.append(f"{tag} style={value!r}")

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.findings.append(f"inline script {data[:60]!r}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False


def runnable_markup(html):
    """The pieces of `html` a browser could run; empty for a safe page."""
    parser = _RunnableMarkup()
    parser.feed(html)
    parser.close()
    return parser.findings


def _assert_shown_as_text(client, url, payload=None):
    """The page shows `payload` (when given) escaped, as the person typed it, and nothing runnable."""
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.get_data(as_text=True)
    assert runnable_markup(html) == [], (url, payload)
    assert "test-secret-key" not in html and "&lt;Config" not in html, (url, payload)  # {{ config }} stayed text
    if payload is not None:
        assert str(escape(payload)) in html, (url, payload)
    return html


def test_the_checker_finds_runnable_markup():
    """The page checker itself catches what the payloads try (so the tests below can fail)."""
    for unsafe in ['<img src=x onerror=alert(1)>', '<a href=" javascript:alert(1)">x</a>', '<script>x()</script>',
                   '<iframe src=//evil.example></iframe>', '<meta http-equiv="refresh" content="0">',
                   '<div style="width: expression(alert(1))">x</div>']:
        assert runnable_markup(unsafe), unsafe
    assert runnable_markup('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><script src="/static/app.js"></script>') == []


def test_hostile_names_are_text_on_every_page_that_shows_them(app, client, make_user, login):
    """ASVS V1.2.1, V3.2.2: a person's name full of markup or template syntax is shown as text to
    themselves and to staff (profile, dashboard, people list and search, person page, audit log)."""
    staff = make_user(role="staff")
    learners = [make_user(full_name=f"{payload} Иван") for payload in PAYLOADS]
    login(staff)
    for learner in learners[:3]:
        submit(client, f"/staff/people/{learner.id}/time", {"time_accommodation": "50"},
               page=f"/staff/people/{learner.id}")
    _assert_shown_as_text(client, "/staff/people")
    _assert_shown_as_text(client, "/staff/audit")
    for learner, payload in zip(learners, PAYLOADS, strict=True):
        _assert_shown_as_text(client, f"/staff/people/{learner.id}", f"{payload} Иван")
        _assert_shown_as_text(client, "/staff/people?" + _query(q=payload[:100]), payload[:100].strip())
    own = app.test_client()
    for learner, payload in list(zip(learners, PAYLOADS, strict=True))[:: max(1, len(PAYLOADS) // 8)]:
        submit(own, "/account/login", {"email": learner.email, "password": "correct horse battery"})
        for url in ("/account/profile", "/dashboard"):
            _assert_shown_as_text(own, url, f"{payload} Иван" if url.endswith("profile") else None)
        submit(own, "/account/logout", {}, page="/account/profile")


def _query(**params):
    from urllib.parse import urlencode

    return urlencode(params)


def test_hostile_organisation_and_cohort_names_are_text(app, client, make_user, login, tmp_path):
    """ASVS V1.2.1: organisation and cohort names are shown as text in staff, trainer and sign-up pages."""
    from app.content import importer
    from app.content.package import read_folder

    importer.import_packages([read_folder(packages.write_folder(tmp_path))])
    trainer = make_user(role="trainer")
    for payload in PAYLOADS:
        db.session.add(Organisation(name=payload[:200], kind="other", country="BG"))
        db.session.add(Cohort(name=payload[:200], starts_on=date(2027, 1, 1), trainer_id=trainer.id))
    db.session.commit()
    login(make_user(role="staff"))
    for url in ("/staff/organisations", "/staff/cohorts", "/staff/reports", "/staff/people", "/staff/"):
        _assert_shown_as_text(client, url)
    for organisation in db.session.scalars(db.select(Organisation)):
        _assert_shown_as_text(client, f"/staff/organisations/{organisation.id}", organisation.name)
    for cohort in db.session.scalars(db.select(Cohort)):
        _assert_shown_as_text(client, f"/staff/cohorts/{cohort.id}", cohort.name)
        _assert_shown_as_text(client, f"/staff/cohorts/{cohort.id}/edit", cohort.name)
    for url in ("/account/register", "/account/profile"):
        _assert_shown_as_text(app.test_client() if url.endswith("register") else client, url)
    trainer_client = app.test_client()
    submit(trainer_client, "/account/login", {"email": trainer.email, "password": "correct horse battery"})
    _assert_shown_as_text(trainer_client, "/trainer/cohorts")


@pytest.mark.parametrize("payload", PAYLOADS[::3])
def test_hostile_text_in_flash_messages_is_text(client, make_user, login, payload):
    """ASVS V1.2.1: a message that repeats what someone typed (an API token's name) shows it as text."""
    login(make_user(role="staff"))
    response = submit(client, "/account/api-tokens", {"name": payload[:100], "scope": "read"},
                      page="/account/profile")
    assert response.status_code in (200, 302)
    html = client.get("/account/profile").get_data(as_text=True) if response.status_code == 302 else \
        response.get_data(as_text=True)
    assert runnable_markup(html) == [], payload


SQL_AND_WILDCARDS = ["'", "''", "' OR '1'='1", "' OR 1=1 --", '"; DROP TABLE users; --', "%", "_", "%%", "\\",
                     "\\%", "%' --", "1; SELECT pg_sleep(5)", "') UNION SELECT email FROM users --", "\x00",
                     "ä%_'\"", "*", "[a-z]", "$where", "x" * 3000]
SEARCHES = [
    ("/", "q"), ("/", "competence"), ("/", "level"), ("/", "language"), ("/verify", "code"),
    ("/staff/people", "q"), ("/staff/people", "role"), ("/staff/people", "organisation"),
    ("/staff/people", "status"), ("/staff/audit", "actor"), ("/staff/audit", "target"),
    ("/staff/audit", "action"), ("/staff/audit", "from"), ("/staff/reports", "organisation"),
    ("/staff/reports", "from"), ("/api/v1/courses", "q"), ("/api/v1/people", "q"),
]


def test_sql_metacharacters_in_every_search_and_filter_match_literally(app, client, make_user, login):
    """ASVS V1.2.4: quotes, comments, LIKE wildcards, NUL bytes and overlong values in every search and
    filter are data: no server error, no rows matched by a wildcard, nothing changed."""
    staff = make_user(role="staff", full_name="Мария Петрова")
    make_user(full_name="Иван Иванов")
    login(staff)
    users_before = _count_users()
    for url, parameter in SEARCHES:
        for payload in SQL_AND_WILDCARDS:
            response = client.get(url, query_string={parameter: payload})
            assert response.status_code in (200, 302, 400, 404, 401), (url, parameter, payload, response.status_code)
            if url == "/staff/people" and parameter == "q" and payload in ("%", "_", "%%", "*"):
                page = response.get_data(as_text=True)
                assert "Иван Иванов" not in page, (payload, "a wildcard matched every person")
    assert _count_users() == users_before


def _count_users():
    from app.accounts.models import User

    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count(User.id)))


def test_hostile_names_in_e_mails_are_text_and_add_no_headers(client, make_user, outbox):
    """ASVS V1.2.1, V1.3.11 (mail injection): a hostile name in a password-reset e-mail is escaped in the
    HTML part, and a name with line breaks never adds headers or recipients."""
    names = [f"{payload} Иван" for payload in PAYLOADS[::2]] + ["Мария\r\nBcc: victim@evil.example",
                                                                "Мария\nSubject: free money"]
    for number, name in enumerate(names):
        user = make_user(email=f"person{number}@example.bg", full_name=name)
        submit(client, "/account/reset", {"email": user.email}, environ_base={"REMOTE_ADDR": f"192.0.2.{number}"})
    assert len(outbox) == len(names)
    for message in outbox:
        assert message["Bcc"] is None and len(message["To"].addresses) == 1
        assert "\n" not in str(message["Subject"]) and "free money" not in str(message["Subject"])
        assert runnable_markup(message.get_body(preferencelist=("html",)).get_content()) == []
