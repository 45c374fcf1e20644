"""Staff reports and overview: figures counted right, the same on screen and in CSV/XLSX, charts with
text alternatives, staff only, bad filters answered with a message, and a fixed number of queries at scale."""

import csv
import io
import re
import time
from datetime import date, datetime, timedelta
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert

from app.accounts.models import Organisation, User
from app.certificates.models import Certificate
from app.content.models import Course, CourseVersion
from app.extensions import db
from app.learning.models import Completion, Enrolment, LessonProgress
from app.timeutil import utcnow
from tests.helpers import count_queries

HOSTILE_NAMES = ['=HYPERLINK("http://x")', "+1", "-1", "@SUM(1)"]
MEASURES = ["enrolled", "trained", "completions", "issued", "revoked"]
TABLES = ["course", "organisation", "month"]


# ---------- Reading pages and files back ----------

class _Tables(HTMLParser):
    """The tables of a page: {id: [[cell text, ...], ...]}; a <time> in a cell gives its datetime."""

    def __init__(self):
        super().__init__()
        self.tables, self.current, self.row, self.cell = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.current = self.tables.setdefault(attrs.get("id") or f"table-{len(self.tables)}", [])
        elif tag == "tr" and self.current is not None:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
        elif tag == "time" and self.cell is not None:
            self.cell.append(attrs["datetime"])
            self.cell.append(None)  # the visible text that follows is ignored

    def handle_endtag(self, tag):
        if tag == "table":
            self.current = None
        elif tag == "tr" and self.row is not None:
            self.current.append(self.row)
            self.row = None
        elif tag in ("td", "th") and self.cell is not None:
            parts = self.cell[: self.cell.index(None)] if None in self.cell else self.cell
            self.row.append(" ".join("".join(parts).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None and None not in self.cell:
            self.cell.append(data)


def page_tables(html):
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def screen_rows(html, table):
    """Header and body of one report table as the page shows it."""
    rows = page_tables(html)[f"table-{table}"]
    return rows[0], [[row[0], *(int(value) for value in row[1:])] for row in rows[1:]]


def csv_rows(data):
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    return rows[0], [[row[0], *(int(value) for value in row[1:])] for row in rows[1:]]


def xlsx_rows(data):
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return rows[0], [[row[0], *row[1:]] for row in rows[1:]]


def figures(rows):
    """{label: [five figures]}."""
    return {row[0]: row[1:] for row in rows}


def totals_on(html):
    """The key figures at the top of the report page, by label."""
    found = re.findall(r'<div><dt>([^<]+)</dt><dd>(\d+)</dd></div>', html)
    return {label: int(value) for label, value in found}


# ---------- Data ----------

def make_course(slug, title, language="en", published=True):
    course = Course(slug=slug, language=language, published=published)
    db.session.add(course)
    db.session.flush()
    version = CourseVersion(course_id=course.id, number=1, content_hash=slug, title=title, language=language,
                            summary="", hours=2, course_source="")
    db.session.add(version)
    db.session.flush()
    course.current_version_id = version.id
    db.session.flush()
    return course, version


def make_certificate(user, course, version, issued_at, state="valid", revoked_at=None):
    number = db.session.scalar(db.select(db.func.count(Certificate.id))) + 1
    db.session.add(Certificate(code=f"TESTCODE{number:06d}", user_id=user.id, course_id=course.id,
                               version_id=version.id, state=state, learner_name=user.full_name,
                               course_title="x", language="en", hours=2, completed_on=issued_at.date(),
                               issued_at=issued_at, revoked_at=revoked_at))


@pytest.fixture
def data(app, make_user):
    """Four organisations (one with a formula for a name), three courses, learners across months."""
    orgs = {key: Organisation(name=name, kind="municipality", country="BG") for key, name in
            [("a", "Община Пловдив"), ("b", "Община Варна"), ("h", HOSTILE_NAMES[0]), ("empty", "Община Русе")]}
    db.session.add_all(orgs.values())
    db.session.flush()
    c1, v1 = make_course("cyber-hygiene", "Cyber hygiene")
    c2, v2 = make_course("fishing", "Фишинг", language="bg")
    make_course("unused", "Unused course")
    make_course("draft", "Draft course", published=False)
    users = {key: make_user(full_name=f"Learner {key}", organisation=orgs.get(key[0]))
             for key in ("a1", "a2", "b1", "h1", "n1")}
    at = datetime
    for key, course, version, when in [("a1", c1, v1, at(2027, 1, 10)), ("a1", c2, v2, at(2027, 2, 1)),
                                       ("a2", c1, v1, at(2027, 1, 31, 23, 59, 59)), ("b1", c1, v1, at(2027, 2, 1)),
                                       ("h1", c2, v2, at(2027, 3, 15)), ("n1", c1, v1, at(2026, 12, 31, 23, 59, 59))]:
        db.session.add(Enrolment(user_id=users[key].id, course_id=course.id, version_id=version.id, enrolled_at=when))
    for key, course, version, when in [("a1", c1, v1, at(2027, 1, 20)), ("a1", c2, v2, at(2027, 3, 1)),
                                       ("a2", c1, v1, at(2027, 3, 31, 23, 59, 59)), ("b1", c1, v1, at(2027, 2, 14)),
                                       ("h1", c2, v2, at(2027, 3, 20)), ("n1", c1, v1, at(2027, 1, 5))]:
        db.session.add(Completion(user_id=users[key].id, course_id=course.id, version_id=version.id,
                                  completed_at=when))
    make_certificate(users["a1"], c1, v1, at(2027, 1, 20), state="superseded")
    make_certificate(users["a1"], c1, v1, at(2027, 2, 2))  # the re-issue
    make_certificate(users["a2"], c1, v1, at(2027, 4, 1))  # the first moment after March
    make_certificate(users["b1"], c1, v1, at(2027, 2, 14), state="revoked", revoked_at=at(2027, 3, 10))
    make_certificate(users["h1"], c2, v2, at(2027, 3, 20))
    make_certificate(users["n1"], c1, v1, at(2027, 1, 5))
    db.session.commit()
    return {"orgs": orgs}


@pytest.fixture
def staff(client, make_user, login):
    """A client signed in as hub staff."""
    login(make_user(role="staff"))
    return client


def report(client, **args):
    response = client.get("/staff/reports", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


# ---------- Figures ----------

def test_figures_for_all_dates(staff, data):
    """Each table counts enrolled people, people trained, completions and certificates as defined."""
    html = report(staff)
    assert totals_on(html) == {"People enrolled": 5, "People trained": 5, "Completions": 6,
                               "Certificates issued": 5, "Certificates revoked": 1}
    header, rows = screen_rows(html, "course")
    assert header == ["Course", "People enrolled", "People trained", "Completions", "Certificates issued",
                      "Certificates revoked"]
    assert rows == [["Cyber hygiene", 4, 4, 4, 4, 1], ["Фишинг", 2, 2, 2, 1, 0], ["Unused course", 0, 0, 0, 0, 0]]
    _, rows = screen_rows(html, "organisation")
    assert figures(rows) == {"Община Пловдив": [2, 2, 3, 3, 0], "Община Варна": [1, 1, 1, 0, 1],
                             HOSTILE_NAMES[0]: [1, 1, 1, 1, 0], "No organisation": [1, 1, 1, 1, 0]}
    assert rows[0][0] == "Община Пловдив"  # most people trained first
    _, rows = screen_rows(html, "month")
    assert rows == [["2026-12", 1, 0, 0, 0, 0], ["2027-01", 2, 2, 2, 2, 0], ["2027-02", 2, 1, 1, 1, 0],
                    ["2027-03", 1, 3, 3, 1, 1], ["2027-04", 0, 0, 0, 1, 0]]
    assert "Draft course" not in html and "Община Русе" not in page_tables(html)  # no activity, not published


def test_period_includes_both_boundary_days(staff, data):
    """From 1 January to 31 March includes 31 March at 23:59:59 and leaves out 1 April at midnight."""
    html = report(staff, **{"from": "2027-01-01", "to": "2027-03-31"})
    assert totals_on(html) == {"People enrolled": 4, "People trained": 5, "Completions": 6,
                               "Certificates issued": 4, "Certificates revoked": 1}
    _, rows = screen_rows(html, "month")
    assert [row[0] for row in rows] == ["2027-01", "2027-02", "2027-03"]
    _, rows = screen_rows(html, "course")
    assert rows[0] == ["Cyber hygiene", 3, 4, 4, 3, 1]
    one_day = report(staff, **{"from": "2027-03-31", "to": "2027-03-31"})
    assert totals_on(one_day)["Completions"] == 1 and totals_on(one_day)["Certificates issued"] == 0
    april = report(staff, **{"from": "2027-04-01"})
    assert totals_on(april) == {"People enrolled": 0, "People trained": 0, "Completions": 0,
                                "Certificates issued": 1, "Certificates revoked": 0}
    before = report(staff, to="2026-12-31")
    assert totals_on(before)["People enrolled"] == 1 and totals_on(before)["People trained"] == 0


def test_organisation_filter(staff, data):
    """Choosing an organisation counts only its people; "No organisation" counts people without one."""
    org = data["orgs"]["a"]
    html = report(staff, **{"from": "2027-01-01", "to": "2027-03-31", "organisation": org.id})
    assert totals_on(html) == {"People enrolled": 2, "People trained": 2, "Completions": 3,
                               "Certificates issued": 2, "Certificates revoked": 0}
    _, rows = screen_rows(html, "organisation")
    assert rows == [["Община Пловдив", 2, 2, 3, 2, 0]]
    html = report(staff, organisation="none")
    _, rows = screen_rows(html, "organisation")
    assert rows == [["No organisation", 1, 1, 1, 1, 0]]
    empty = report(staff, organisation=data["orgs"]["empty"].id)
    assert totals_on(empty)["People trained"] == 0 and "Nothing happened in this period" in empty


# ---------- Exports ----------

@pytest.mark.parametrize("table", TABLES)
def test_exports_match_the_screen(staff, data, table):
    """The CSV and XLSX of a table hold exactly the figures the page shows, with the same filters."""
    args = {"from": "2027-01-01", "to": "2027-03-31"}
    screen_header, screen = screen_rows(report(staff, **args), table)
    response = staff.get(f"/staff/reports/by-{table}.csv", query_string=args)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert f'filename="report-by-{table}-from-2027-01-01-to-2027-03-31.csv"' in response.headers["Content-Disposition"]
    header, rows = csv_rows(response.data)
    assert header == screen_header
    unquoted = [[row[0].removeprefix("'"), *row[1:]] for row in rows]
    assert unquoted == screen
    response = staff.get(f"/staff/reports/by-{table}.xlsx", query_string=args)
    assert response.status_code == 200 and response.data[:2] == b"PK"
    header, rows = xlsx_rows(response.data)
    assert header == screen_header
    assert [[row[0].removeprefix("'"), *row[1:]] for row in rows] == screen
    assert all(isinstance(value, int) for row in rows for value in row[1:])  # numbers stay numbers


def test_export_with_organisation_filter(staff, data):
    """The organisation filter applies to the files too, and names them."""
    org = data["orgs"]["b"]
    response = staff.get("/staff/reports/by-course.csv", query_string={"organisation": org.id})
    assert f"report-by-course-organisation-{org.id}.csv" in response.headers["Content-Disposition"]
    _, rows = csv_rows(response.data)
    assert figures(rows)["Cyber hygiene"] == [1, 1, 1, 0, 1]


def test_formula_names_are_neutralised(staff, data):
    """Organisation names that look like formulas are text in CSV and XLSX, and escaped in HTML."""
    orgs = data["orgs"]
    course = db.session.scalar(db.select(Course).where(Course.slug == "cyber-hygiene"))
    for name in HOSTILE_NAMES[1:]:
        org = Organisation(name=name, kind="other", country="BG")
        db.session.add(org)
        db.session.flush()
        user = User(email=f"x{org.id}@example.bg", full_name="X", organisation_id=org.id)
        db.session.add(user)
        db.session.flush()
        db.session.add(Completion(user_id=user.id, course_id=course.id, version_id=course.current_version_id,
                                  completed_at=datetime(2027, 5, 5)))
    db.session.commit()
    html = report(staff)
    assert "=HYPERLINK(&#34;http://x&#34;)" in html or "=HYPERLINK(&quot;http://x&quot;)" in html
    assert '=HYPERLINK("http://x")' not in html
    _, rows = csv_rows(staff.get("/staff/reports/by-organisation.csv").data)
    labels = {row[0] for row in rows}
    assert {"'" + name for name in HOSTILE_NAMES} <= labels
    sheet = load_workbook(io.BytesIO(staff.get("/staff/reports/by-organisation.xlsx").data)).active
    cells = {row[0].value: row[0] for row in sheet.iter_rows(min_row=2)}
    for name in HOSTILE_NAMES:
        assert cells["'" + name].data_type == "s"
    assert orgs["h"].name == HOSTILE_NAMES[0]


# ---------- Charts ----------

def test_charts_have_a_text_alternative_and_a_table(staff, data):
    """Each chart is an image with a title and a summary, next to a table with the same numbers."""
    html = report(staff, **{"from": "2027-01-01", "to": "2027-03-31"})
    assert "style=" not in html and "<style" not in html  # the CSP allows neither
    for table in TABLES:
        svg = re.search(rf'<svg class="chart" role="img" aria-labelledby="chart-{table}-title chart-{table}-desc"'
                        r'.*?</svg>', html, re.S).group(0)
        assert f'<title id="chart-{table}-title">' in svg
        description = re.search(rf'<desc id="chart-{table}-desc">(.*?)</desc>', svg, re.S).group(1)
        values = [int(v) for v in re.findall(r'<text class="chart__value"[^>]*>(\d+)</text>', svg)]
        _, rows = screen_rows(html, table)
        trained = [row[2] for row in rows]
        assert sorted(values) == sorted(trained)  # each bar is labelled with its value
        assert str(max(trained)) in description
        assert html.index(svg) < html.index(f'id="table-{table}"')
    month_desc = re.search(r'<desc id="chart-month-desc">(.*?)</desc>', html, re.S).group(1)
    assert month_desc == "Highest: March 2027 (3). Lowest: February 2027 (1)."
    caption = re.search(r'<table class="table report-table" id="table-month">\s*<caption>(.*?)</caption>', html)
    assert caption and 'scope="row"' in html and 'scope="col"' in html


def test_chart_of_many_rows_says_what_it_leaves_out(app):
    """Beyond twelve bars the chart keeps the largest and says so in its text alternative."""
    from flask_babel import force_locale

    from app.staff.charts import bar_chart

    with app.test_request_context(), force_locale("en"):
        chart = bar_chart("c", "T", [(f"Org {n}", n) for n in range(30)])
    assert len(chart.bars) == 12 and chart.bars[0].value == 29 and chart.total == 30
    assert chart.description == ("Highest: Org 29 (29). Lowest: Org 0 (0). "
                                 "The chart shows 12 of 30; the table lists them all.")
    assert max(bar.x + bar.width for bar in chart.bars) <= chart.width - 64  # room for the value


# ---------- Overview ----------

def test_overview_shows_this_year(staff, make_user):
    """The overview gives this year's people trained, certificates and enrolments, and the top organisations."""
    year = utcnow().year
    org = Organisation(name="Община Пловдив", kind="municipality", country="BG")
    db.session.add(org)
    course, version = make_course("fishing", "Фишинг", language="bg")
    learner, other = make_user(organisation=org), make_user()
    for user, when in [(learner, datetime(year, 1, 1, 0, 0, 1)), (other, datetime(year - 1, 12, 31, 23, 59, 59))]:
        db.session.add(Enrolment(user_id=user.id, course_id=course.id, version_id=version.id, enrolled_at=when))
        db.session.add(Completion(user_id=user.id, course_id=course.id, version_id=version.id, completed_at=when))
    make_certificate(other, course, version, datetime(year - 1, 12, 31))
    db.session.commit()
    html = staff.get("/staff/").get_data(as_text=True)
    assert totals_on(html) == {"People trained": 1, "Certificates issued": 0, "People enrolled": 1}
    assert figures(page_tables(html)["table-0"][1:]) == {"Община Пловдив": ["1", "0"]}
    for endpoint in ("/staff/certificates", "/staff/certificates/bulk", "/staff/reports"):
        assert f'href="{endpoint}' in html
    assert 'href="/staff/settings"' not in html  # admins only
    assert f"from={year}-01-01" in html


def test_overview_links_settings_for_admins(client, make_user, login):
    """Admins see the settings link; an empty year says so."""
    login(make_user(role="admin"))
    html = client.get("/staff/").get_data(as_text=True)
    assert 'href="/staff/settings"' in html and "Nobody has completed a course this year yet." in html


# ---------- Permissions ----------

PROTECTED = ["/staff/", "/staff/reports", "/staff/reports?from=2027-01-01"] + [
    f"/staff/reports/by-{table}.{fmt}" for table in TABLES for fmt in ("csv", "xlsx")]


@pytest.mark.parametrize("role", ["learner", "trainer"])
def test_learners_and_trainers_are_refused(client, make_user, login, role):
    """Only staff and admins open the overview, the reports and the exports."""
    login(make_user(role=role))
    for path in PROTECTED:
        assert client.get(path).status_code == 403, path


def test_anonymous_visitors_are_sent_to_sign_in(client):
    """A visitor who is not signed in is sent to the sign-in page."""
    for path in PROTECTED:
        response = client.get(path)
        assert response.status_code == 302 and "/account/login" in response.headers["Location"], path


def test_unknown_table_is_not_found(staff):
    """Only the three report tables can be downloaded."""
    assert staff.get("/staff/reports/by-users.csv").status_code == 404
    assert staff.get("/staff/reports/by-course.pdf").status_code == 404


# ---------- Bad input ----------

@pytest.mark.parametrize("args, message", [
    ({"from": "2027-13-45"}, "Enter a real date as year-month-day"),
    ({"to": "' OR 1=1 --"}, "Enter a real date as year-month-day"),
    ({"from": "31.03.2027"}, "Enter a real date as year-month-day"),
    ({"from": "9999-12-31"}, "Enter a date between 1970 and 2999."),
    ({"from": "2027-03-01", "to": "2027-01-01"}, "must not be before"),
    ({"organisation": "abc"}, "Choose an organisation from the list."),
    ({"organisation": "' OR 1=1 --"}, "Choose an organisation from the list."),
    ({"organisation": "999999"}, "Choose an organisation from the list."),
    ({"organisation": "1" * 40}, "Choose an organisation from the list."),
])
def test_bad_filters_get_a_clear_message(staff, data, args, message):
    """Bad filters are named in an error summary; no figures are shown for them, and nothing fails."""
    response = staff.get("/staff/reports", query_string=args)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'class="error-summary"' in html and message in html
    assert "table-course" not in html
    export = staff.get("/staff/reports/by-course.csv", query_string=args)
    assert export.status_code == 302 and "/staff/reports?" in export.headers["Location"]


def test_empty_filters_are_ignored(staff, data):
    """Empty fields, as a browser sends them, mean no limit."""
    html = report(staff, **{"from": "", "to": "", "organisation": ""})
    assert totals_on(html)["Completions"] == 6 and 'class="error-summary"' not in html


# ---------- Scale ----------

LEARNERS = 10_000
LESSONS = 10


def test_reports_at_scale_use_a_fixed_number_of_queries(app, staff, backend):
    """With 10,000 learners and 100,000 lesson records, the pages stay correct, quick and few in queries."""
    started = time.monotonic()
    courses = [make_course(f"course-{n}", f"Course {n}") for n in range(3)]
    db.session.execute(insert(Organisation), [{"name": f"Municipality {n}", "kind": "municipality",
                                               "country": "BG"} for n in range(50)])
    org_ids = db.session.scalars(db.select(Organisation.id).order_by(Organisation.id)).all()
    db.session.execute(insert(User), [
        {"email": f"scale{n}@example.bg", "full_name": f"Learner {n}", "role": "learner",
         "organisation_id": org_ids[n % 50] if n % 10 else None} for n in range(LEARNERS)])
    user_ids = db.session.scalars(db.select(User.id).where(User.email.like("scale%")).order_by(User.id)).all()
    year = utcnow().year
    start = datetime(year, 1, 1)

    def course_of(n):
        return courses[n % 3]

    db.session.execute(insert(Enrolment), [
        {"user_id": uid, "course_id": course_of(n)[0].id, "version_id": course_of(n)[1].id,
         "state": "active", "enrolled_at": start} for n, uid in enumerate(user_ids)])
    enrolment_ids = db.session.scalars(db.select(Enrolment.id).order_by(Enrolment.id)).all()
    db.session.execute(insert(LessonProgress), [
        {"enrolment_id": eid, "item_slug": f"lesson-{k}", "completed_at": start}
        for eid in enrolment_ids for k in range(LESSONS)])
    completed = user_ids[::2]  # half of them completed, spread over the first three months
    db.session.execute(insert(Completion), [
        {"user_id": uid, "course_id": course_of(2 * n)[0].id, "version_id": course_of(2 * n)[1].id,
         "completed_at": start + timedelta(days=n % 90)} for n, uid in enumerate(completed)])
    db.session.execute(insert(Certificate), [
        {"code": f"SCALE{n:08d}", "user_id": uid, "course_id": course_of(2 * n)[0].id,
         "version_id": course_of(2 * n)[1].id, "state": "valid", "learner_name": "x", "course_title": "x",
         "language": "en", "hours": 2, "competences": [], "completed_on": date(year, 1, 1),
         "issued_at": start + timedelta(days=n % 90)} for n, uid in enumerate(completed[::2])])
    db.session.commit()
    setup = time.monotonic() - started
    engine = app.extensions["sqlalchemy"].engine

    args = {"from": f"{year}-01-01", "to": f"{year}-12-31"}
    with count_queries(engine) as counter:
        html = report(staff, **args)
    assert counter.count <= 8, counter.statements
    report_queries = counter.count
    assert totals_on(html) == {"People enrolled": LEARNERS, "People trained": LEARNERS // 2,
                               "Completions": LEARNERS // 2, "Certificates issued": LEARNERS // 4,
                               "Certificates revoked": 0}
    _, rows = screen_rows(html, "organisation")
    assert sum(row[2] for row in rows) == LEARNERS // 2 and len(rows) == 45 + 1  # every tenth has no organisation
    assert figures(rows)["No organisation"][0] == LEARNERS // 10
    _, rows = screen_rows(html, "month")
    assert sum(row[3] for row in rows) == LEARNERS // 2

    with count_queries(engine) as counter:
        overview = staff.get("/staff/").get_data(as_text=True)
    assert counter.count <= 4, counter.statements
    overview_queries = counter.count
    assert totals_on(overview) == {"People trained": LEARNERS // 2, "Certificates issued": LEARNERS // 4,
                                   "People enrolled": LEARNERS}
    with count_queries(engine) as counter:
        export = staff.get("/staff/reports/by-organisation.xlsx", query_string=args)
    assert export.status_code == 200 and counter.count <= 4, counter.statements
    print(f"\n[{backend}] setup {setup:.1f}s, report page {report_queries} queries, "
          f"overview {overview_queries}, "
          f"total {time.monotonic() - started:.1f}s")
