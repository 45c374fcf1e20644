"""The needs report: aggregates per competence for staff, never for fewer people than the minimum group size."""

import csv
import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from app.accounts.models import Organisation
from app.audit import AuditEvent
from app.extensions import db
from app.skills import services
from tests.helpers import count_queries, submit

BIG = "=Община Голяма"  # also checks that a formula-like name is neutralised in the files
SMALL = "Община Малка"


@pytest.fixture
def organisations(app):
    big, small = Organisation(name=BIG), Organisation(name=SMALL)
    db.session.add_all([big, small])
    db.session.commit()
    return big, small


def people(make_user, check, count, organisation=None, low=0, when=None):
    """`count` learners who kept a result; the first `low` of them rated 4.1 below target."""
    for number in range(count):
        user = make_user(organisation=organisation)
        rating = 1 if number < low else 4
        answers = {"1.2-1": 3, "1.2-2": 3, "4.1-1": rating, "4.1-2": rating}
        result = services.keep_result(user, check, answers)
        if when is not None:
            result.taken_at = when
    db.session.commit()


@pytest.fixture
def staff_client(app, make_user):
    client = app.test_client()
    user = make_user(role="staff")
    submit(client, "/account/login", {"email": user.email, "password": "correct horse battery"})
    return client


def page(client):
    return client.get("/staff/skills/quick-check").get_data(as_text=True)


def csv_rows(client, table, **args):
    response = client.get(f"/staff/skills/quick-check/{table}.csv", query_string=args)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def xlsx_rows(client, table):
    response = client.get(f"/staff/skills/quick-check/{table}.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_groups_of_five_are_shown_and_groups_of_four_are_not(quick_check, organisations, make_user, staff_client):
    """ASVS V14 Data Protection: an organisation of 5 is reported, one of 4 nowhere (page, CSV, XLSX)."""
    big, small = organisations
    people(make_user, quick_check, 5, big, low=3)
    people(make_user, quick_check, 4, small, low=4)
    people(make_user, quick_check, 1, None, low=1)  # with the 4, the hidden people make 5: nothing to difference
    html = page(staff_client)
    assert BIG in html and SMALL not in html
    rows = csv_rows(staff_client, "organisations")
    assert rows[0] == ["Organisation", "Competence", "Number of people", "Below target", "Share below target (%)"]
    assert ["'" + BIG, "4.1 Protecting devices", "5", "3", "60"] in rows
    assert not any(SMALL in cell for row in rows for cell in row)
    assert all(SMALL not in str(cell) for row in xlsx_rows(staff_client, "organisations") for cell in row)
    overall = csv_rows(staff_client, "overall")
    assert ["4.1 Protecting devices", "10", "8", "80"] in overall


def test_overall_minus_visible_groups_never_reveals_a_small_one(quick_check, organisations, make_user, staff_client):
    """ASVS V14 Data Protection: with 5 and 4 people, showing the 5 would let the total give away the 4: both hide."""
    big, small = organisations
    people(make_user, quick_check, 5, big, low=0)
    people(make_user, quick_check, 4, small, low=4)
    html = page(staff_client)
    assert BIG not in html and SMALL not in html
    assert csv_rows(staff_client, "organisations")[1:] == []
    assert xlsx_rows(staff_client, "organisations")[1:] == []
    assert ["4.1 Protecting devices", "9", "4", "44"] in csv_rows(staff_client, "overall")


def test_fewer_than_the_minimum_overall_shows_nothing(quick_check, organisations, make_user, staff_client):
    """ASVS V14 Data Protection: four people in all: no figure on the page, in the files or in the trend."""
    people(make_user, quick_check, 4, organisations[0], low=2)
    html = page(staff_client)
    assert "fewer than 5 people have kept a result here" in html
    for table in ("overall", "organisations", "trend"):
        assert csv_rows(staff_client, table)[1:] == []
        assert xlsx_rows(staff_client, table)[1:] == []


def test_the_minimum_is_a_setting_admins_change(quick_check, organisations, make_user, app, staff_client):
    """An admin lowers the minimum to 4 (audited); the group of 4 then shows; 1 and text are refused."""
    _big, small = organisations
    people(make_user, quick_check, 4, small, low=1)
    admin = app.test_client()
    user = make_user(role="admin")
    submit(admin, "/account/login", {"email": user.email, "password": "correct horse battery"})
    for bad in ("1", "abc", ""):
        response = submit(admin, "/staff/skills/settings", {"size": bad}, page="/staff/skills/quick-check",
                          follow_redirects=True)
        assert "Enter a whole number" in response.get_data(as_text=True)
    assert SMALL not in page(staff_client)
    submit(admin, "/staff/skills/settings", {"size": "4"}, page="/staff/skills/quick-check")
    assert SMALL in page(staff_client)
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "skills.min_group_changed")) is not None
    token_page = staff_client.get("/staff/skills/quick-check").get_data(as_text=True)
    assert "Privacy setting" not in token_page
    response = submit(staff_client, "/staff/skills/settings", {"size": "2"}, page="/staff/skills/quick-check")
    assert response.status_code == 403


def test_only_each_persons_latest_result_counts(quick_check, make_user, staff_client):
    """A learner who retook the check counts once, with the newer result."""
    users = [make_user() for _ in range(5)]
    for user in users:
        services.keep_result(user, quick_check, {"1.2-1": 3, "1.2-2": 3, "4.1-1": 1, "4.1-2": 1})
        later = services.keep_result(user, quick_check, {"1.2-1": 3, "1.2-2": 3, "4.1-1": 4, "4.1-2": 4})
        later.taken_at = datetime(2099, 1, 1)
    db.session.commit()
    assert ["4.1 Protecting devices", "5", "0", "0"] in csv_rows(staff_client, "overall")


def test_trend_by_quarter_hides_small_quarters(quick_check, organisations, make_user, staff_client):
    """Each quarter with 5 or more people is a row of the trend; a quarter with 4 is left out."""
    big, _small = organisations
    people(make_user, quick_check, 5, big, low=5, when=datetime(2027, 2, 1))
    people(make_user, quick_check, 4, big, low=0, when=datetime(2027, 5, 1))
    rows = csv_rows(staff_client, "trend")
    assert ["2027-Q1", "4.1 Protecting devices", "5", "5", "100"] in rows
    assert not any(row[0] == "2027-Q2" for row in rows)
    by_group = csv_rows(staff_client, "trend", group=str(big.id))
    assert ["2027-Q1", "4.1 Protecting devices", "5", "5", "100"] in by_group
    assert csv_rows(staff_client, "trend", group="none")[1:] == []


def test_report_is_for_staff_only(quick_check, app, make_user):
    """ASVS V8.2.1: learners and trainers get 403 on the report and its files; visitors are sent to sign in."""
    paths = ["/staff/skills", "/staff/skills/quick-check", "/staff/skills/quick-check/overall.csv",
             "/staff/skills/quick-check/organisations.xlsx"]
    for role in ("learner", "trainer"):
        client = app.test_client()
        user = make_user(role=role)
        submit(client, "/account/login", {"email": user.email, "password": "correct horse battery"})
        assert [client.get(path).status_code for path in paths] == [403] * 4, role
    assert all(app.test_client().get(path).status_code == 302 for path in paths)


def test_unknown_check_and_empty_state(app, staff_client):
    """An unknown check is 404; with no check published the report says so."""
    assert staff_client.get("/staff/skills/nothing").status_code == 404
    assert "No skills check has been published yet" in staff_client.get("/staff/skills").get_data(as_text=True)


def test_report_queries_do_not_grow_with_people(quick_check, organisations, make_user, app, staff_client):
    """The report page and each file cost the same few queries for 10 people as for 20."""
    def measure():
        counts = []
        for path in ("/staff/skills/quick-check", "/staff/skills/quick-check/organisations.csv"):
            with count_queries(app.extensions["sqlalchemy"].engine) as counter:
                staff_client.get(path)
            counts.append(counter.count)
        return counts
    people(make_user, quick_check, 5, organisations[0], low=2)
    people(make_user, quick_check, 5, organisations[1], low=2)
    first = measure()
    people(make_user, quick_check, 10, organisations[1], low=2)
    assert measure() == first and max(first) <= 8, first


def test_min_group_command_shows_and_changes_the_setting(app, runner):
    """`flask skills min-group` prints the size, sets a new one (audited) and refuses one person."""
    assert runner.invoke(args=["skills", "min-group"]).output.strip() == "5"
    assert runner.invoke(args=["skills", "min-group", "7"]).exit_code == 0
    assert runner.invoke(args=["skills", "min-group"]).output.strip() == "7"
    refused = runner.invoke(args=["skills", "min-group", "1"])
    assert refused.exit_code == 1 and "at least 2" in refused.output
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)) == 1


def test_staff_overview_links_to_the_needs_report(app, staff_client):
    """Staff find the needs report from their overview."""
    assert 'href="/staff/skills"' in staff_client.get("/staff/").get_data(as_text=True)


def test_unknown_table_or_format_is_not_found(quick_check, staff_client):
    """Only the three report tables exist as files, as CSV or XLSX."""
    assert staff_client.get("/staff/skills/quick-check/people.csv").status_code == 404
    assert staff_client.get("/staff/skills/quick-check/overall.pdf").status_code == 404


def test_demo_loads_the_check_and_a_report_to_look_at(app, runner):
    """`flask demo --if-empty` loads both languages of the shipped check, and the needs report has figures."""
    from app.skills.models import SkillsCheck

    assert runner.invoke(args=["demo", "--if-empty"]).exit_code == 0
    slugs = set(db.session.scalars(db.select(SkillsCheck.slug)))
    assert slugs == {"skills-check-public-servants", "proverka-na-umeniyata"}
    staff = app.test_client()
    submit(staff, "/account/login", {"email": "staff@demo.academy", "password": "staff-demo-2026"})
    rows = staff.get("/staff/skills/skills-check-public-servants/organisations.csv").get_data(as_text=True)
    assert "Община Пловдив" in rows
