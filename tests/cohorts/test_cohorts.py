"""Cohorts: staff create them, bulk-enrol learners from CSV (preview, confirm once), trainers follow progress."""

import csv
import io
import time
from datetime import date

import pytest

from app.accounts.models import AccountToken, Organisation, User
from app.audit import AuditEvent
from app.cohorts.models import Cohort, CohortMember, RosterUpload
from app.content import importer
from app.content.models import Course
from app.content.package import read_folder
from app.extensions import db
from app.learning.models import Enrolment
from tests.content import packages
from tests.helpers import count_queries, csrf_token_from, first_link, join_threads, mail_text, submit


def _count(model):
    return db.session.scalar(db.select(db.func.count()).select_from(model))


@pytest.fixture
def course(app, tmp_path):
    importer.import_packages([read_folder(packages.write_folder(tmp_path))])
    db.session.commit()
    return db.session.scalar(db.select(Course))


@pytest.fixture
def staff(make_user, login):
    user = make_user(role="staff", email="officer@hub.bg", full_name="Hub Officer")
    login(user)
    return user


@pytest.fixture
def cohort(course, staff, make_user, organisation):
    trainer = make_user(role="trainer", email="trainer@hub.bg", full_name="Tina Trainer")
    record = Cohort(name="Plovdiv — cyber hygiene — March 2027", starts_on=date(2027, 3, 1),
                    trainer_id=trainer.id, organisation_id=organisation.id, courses=[course])
    db.session.add(record)
    db.session.commit()
    return record


def _upload(client, cohort, data, filename="learners.csv"):
    page = client.get(f"/staff/cohorts/{cohort.id}").get_data(as_text=True)
    return client.post(f"/staff/cohorts/{cohort.id}/upload", content_type="multipart/form-data",
                       data={"csrf_token": csrf_token_from(page), "roster": (io.BytesIO(data), filename)})


def _confirm(client, preview_url):
    response = submit(client, preview_url, {})
    join_threads("invitations")  # the e-mails go out in the background
    return response


def test_staff_create_a_cohort(client, staff, course, make_user, organisation):
    trainer = make_user(role="trainer")
    response = submit(client, "/staff/cohorts/new", {
        "name": "  Plovdiv —  cyber hygiene ", "starts_on": "2027-03-01", "ends_on": "2027-03-31",
        "courses": [str(course.id)], "trainer_id": str(trainer.id), "organisation_id": str(organisation.id)})
    assert response.status_code == 302
    cohort = db.session.scalar(db.select(Cohort))
    assert (cohort.name, cohort.trainer_id, [c.slug for c in cohort.courses]) == (
        "Plovdiv — cyber hygiene", trainer.id, ["cyber-hygiene"])
    assert db.session.scalar(db.select(AuditEvent.action)) == "cohort.created"
    assert "Plovdiv — cyber hygiene" in client.get("/staff/cohorts").get_data(as_text=True)


@pytest.mark.parametrize("fields, message", [
    ({"name": ""}, "Enter a name"),
    ({"starts_on": "31/03/2027"}, "YYYY-MM-DD"),
    ({"ends_on": "2027-02-01"}, "on or after the start date"),
    ({"courses": []}, "at least one course"),
    ({"courses": ["999999"]}, "Choose courses from the list"),
    ({"trainer_id": "999999"}, "Choose one of the options"),
    ({"trainer_id": "' OR 1=1 --"}, "Choose one of the options"),
])
def test_bad_cohort_input_is_explained_and_saves_nothing(client, staff, course, fields, message):
    data = {"name": "X", "starts_on": "2027-03-01", "ends_on": "", "courses": [str(course.id)], **fields}
    response = submit(client, "/staff/cohorts/new", data, page="/staff/cohorts/new")
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _count(Cohort) == 0


def test_bulk_enrolment_preview_then_confirm(client, cohort, course, make_user, outbox, organisation):
    existing = make_user(email="existing@plovdiv.bg", full_name="Existing Person")
    already = make_user(email="already@plovdiv.bg")
    db.session.add(CohortMember(cohort_id=cohort.id, user_id=already.id))
    make_user(email="gone@plovdiv.bg").active = False
    db.session.add(Organisation(name="Община Варна", kind="municipality", country="BG"))
    db.session.commit()
    data = ("Име и фамилия;Имейл;Организация\n"
            "Мария Иванова;Maria@Plovdiv.bg;\n"
            "Existing Person;EXISTING@plovdiv.bg;Община Пловдив\n"
            "Already In;already@plovdiv.bg;\n"
            "Gone Person;gone@plovdiv.bg;\n"
            "Bad Address;not-an-address;\n"
            "Мария Двойник;maria@plovdiv.bg;\n"
            "Петър Петров;petar@varna.bg;община варна\n"
            "Unknown Org;u@x.bg;Община Никъде\n").encode("utf-8-sig")
    response = _upload(client, cohort, data)
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    page = client.get(preview_url).get_data(as_text=True)
    assert "Nothing has changed yet" in page
    for expected in ("New account, invited", "Already in this cohort", "This account is deactivated",
                     "is not an e-mail address", "already on row 2", "No organisation is called"):
        assert expected in page, expected
    assert _count(Enrolment) == 0 and _count(User) == 5  # nothing happened yet

    response = _confirm(client, preview_url)
    assert response.status_code == 302
    flash = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Enrolled: 3 (new accounts invited by e-mail: 2). Rows skipped: 5." in flash

    maria = db.session.scalar(db.select(User).where(User.email == "maria@plovdiv.bg"))
    petar = db.session.scalar(db.select(User).where(User.email == "petar@varna.bg"))
    assert maria.organisation_id == cohort.organisation_id  # empty cell: the cohort's organisation
    assert petar.organisation.name == "Община Варна" and maria.password_hash is None
    enrolled = set(db.session.scalars(db.select(Enrolment.user_id).where(Enrolment.course_id == course.id)))
    assert enrolled == {maria.id, petar.id, existing.id}
    assert _count(CohortMember) == 4
    assert sorted(m["To"].addresses[0].addr_spec for m in outbox) == ["maria@plovdiv.bg", "petar@varna.bg"]
    assert _count(AccountToken) == 2

    # the invitation works: set a password and land in the course
    link = first_link(mail_text(next(m for m in outbox if "maria" in str(m["To"]))), "/account/invitation/")
    learner = client.application.test_client()
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = submit(learner, "/" + path, {"full_name": "Мария Иванова", "password": "a long new password",
                                            "confirm": "a long new password"})
    assert response.status_code == 302
    assert "Cyber hygiene" in learner.get("/dashboard").get_data(as_text=True)

    # confirming again (double click, back button) changes nothing
    again = submit(client, preview_url, {}, page=f"/staff/cohorts/{cohort.id}")
    assert "already been used" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert _count(CohortMember) == 4 and len(outbox) == 2
    actions = db.session.scalars(db.select(AuditEvent.action)).all()
    assert actions.count("user.invited") == 2 and actions.count("enrolment.created") == 3
    assert actions.count("cohort.enrolled") == 1


@pytest.mark.parametrize("data, message", [
    (b"", "The file is empty"),
    (b"first;second\na;b\n", "must name the columns"),
    (b'name;email\n"Unclosed;a@b.bg\nB;b@b.bg\n', "quote"),
    (b"name,email\nA,a@b.bg\nB,b@b.bg,x,y\n", "Row 3:"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not a text file"),
])
def test_malformed_file_gives_row_numbered_errors_and_changes_nothing(client, cohort, data, message):
    response = _upload(client, cohort, data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and "Nothing has changed" in page
    assert _count(RosterUpload) == 0 and _count(User) == 2 and _count(Enrolment) == 0


def test_no_file_is_explained(client, cohort):
    page = client.get(f"/staff/cohorts/{cohort.id}").get_data(as_text=True)
    response = client.post(f"/staff/cohorts/{cohort.id}/upload", data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 422 and "Choose a CSV file" in response.get_data(as_text=True)


def test_hostile_names_are_escaped_in_the_preview(client, cohort):
    data = b'name,email\n"<script>alert(1)</script>",x@x.bg\n"=HYPERLINK(""http://evil"")",y@x.bg\n'
    page = client.get(_upload(client, cohort, data).headers["Location"]).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_uploads_of_another_cohort_are_not_reachable(client, cohort, course):
    other = Cohort(name="Other", starts_on=date(2027, 1, 1), courses=[course])
    db.session.add(other)
    db.session.commit()
    preview_url = _upload(client, cohort, b"name,email\nA,a@x.bg\n").headers["Location"]
    upload_id = preview_url.rsplit("/", 1)[1]
    assert client.get(f"/staff/cohorts/{other.id}/upload/{upload_id}").status_code == 404


def test_five_thousand_learners_in_one_file(app, client, cohort, outbox):
    """A large list previews and enrols in one request; the e-mails go out afterwards (tested above on a
    small list; here the mail server is down, so the accounts wait for "send the invitations again")."""
    app.config["MAIL_PORT"] = 1
    data = "Име;Имейл\n" + "".join(f"Служител {n};s{n}@obshtina.bg\n" for n in range(5000))
    preview_url = _upload(client, cohort, data.encode("utf-8-sig")).headers["Location"]
    with count_queries(db.engine) as counter:
        assert "Enrol 5000 people" in client.get(preview_url).get_data(as_text=True)
    assert counter.count <= 30, counter.count
    _confirm(client, preview_url)
    assert _count(CohortMember) == 5000 and _count(Enrolment) == 5000 and _count(AccountToken) == 5000
    assert "5000 people have not accepted the invitation" in client.get(f"/staff/cohorts/{cohort.id}").get_data(
        as_text=True)


def test_mail_failure_keeps_the_accounts_and_invitations_can_be_resent(app, client, cohort, outbox, smtp_server):
    app.config["MAIL_PORT"] = 1  # nothing listens there
    preview_url = _upload(client, cohort, b"name,email\nA,a@x.bg\n").headers["Location"]
    page = client.get(_confirm(client, preview_url).headers["Location"]).get_data(as_text=True)
    assert _count(CohortMember) == 1 and outbox == []
    assert "1 person has not accepted the invitation" in page
    app.config["MAIL_PORT"] = smtp_server.port
    response = submit(client, f"/staff/cohorts/{cohort.id}/invitations", {}, page=f"/staff/cohorts/{cohort.id}")
    join_threads("invitations")
    assert "A new invitation is on its way to 1 person." in client.get(response.headers["Location"]).get_data(
        as_text=True)
    assert [m["To"].addresses[0].addr_spec for m in outbox] == ["a@x.bg"]


def test_adding_a_course_enrols_the_existing_members(client, cohort, make_user, tmp_path):
    member = make_user()
    db.session.add(CohortMember(cohort_id=cohort.id, user_id=member.id))
    importer.import_packages([read_folder(packages.write_folder(tmp_path / "two", slug="second-course"))])
    db.session.commit()
    second = db.session.scalar(db.select(Course).where(Course.slug == "second-course"))
    submit(client, f"/staff/cohorts/{cohort.id}/edit", {
        "name": cohort.name, "starts_on": "2027-03-01", "courses": [str(c.id) for c in (cohort.courses[0], second)]})
    assert db.session.scalar(db.select(Enrolment.user_id).where(Enrolment.course_id == second.id)) == member.id


def _matrix_setup(app, cohort, make_user):
    learners = [make_user(full_name=f"Learner {n}") for n in range(3)]
    db.session.add_all([CohortMember(cohort_id=cohort.id, user_id=u.id) for u in learners])
    db.session.commit()
    first = app.test_client()
    submit(first, "/account/login", {"email": learners[0].email, "password": "correct horse battery"})
    submit(first, "/courses/cyber-hygiene/enrol", {}, page="/courses/cyber-hygiene")
    submit(first, "/courses/cyber-hygiene/passwords/complete", {}, page="/courses/cyber-hygiene/passwords")
    return learners


def test_trainer_sees_the_progress_matrix_and_csv(app, client, cohort, make_user):
    learners = _matrix_setup(app, cohort, make_user)
    trainer = app.test_client()
    submit(trainer, "/account/login", {"email": "trainer@hub.bg", "password": "correct horse battery"})
    assert "Plovdiv — cyber hygiene" in trainer.get("/trainer/cohorts").get_data(as_text=True)
    with count_queries(db.engine) as counter:
        page = trainer.get(f"/trainer/cohorts/{cohort.id}").get_data(as_text=True)
    assert counter.count <= 12, counter.statements
    assert "3 learners" in page and "Passwords" in page and "Check" in page
    assert page.count(">done</span>") == 1
    response = trainer.get(f"/trainer/cohorts/{cohort.id}?format=csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Name", "E-mail address", "Organisation"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name[learners[0].full_name][3] == "done" and by_name[learners[1].full_name][3] == ""
    assert response.headers["Content-Disposition"].startswith("attachment;")


def test_matrix_query_count_does_not_grow_with_the_cohort(app, client, cohort, make_user):
    _matrix_setup(app, cohort, make_user)
    with count_queries(db.engine) as small:
        client.get(f"/trainer/cohorts/{cohort.id}")
    db.session.add_all([User(email=f"m{n}@x.bg", full_name=f"M {n}") for n in range(40)])
    db.session.flush()
    db.session.add_all([CohortMember(cohort_id=cohort.id, user_id=u.id)
                        for u in db.session.scalars(db.select(User).where(User.email.like("m%@x.bg")))])
    db.session.commit()
    with count_queries(db.engine) as large:
        client.get(f"/trainer/cohorts/{cohort.id}")
    assert large.count == small.count


def test_other_trainers_and_learners_cannot_see_a_cohort(app, cohort, make_user):
    for role, expected in (("trainer", 403), ("learner", 403)):
        other = app.test_client()
        submit(other, "/account/login", {"email": make_user(role=role).email, "password": "correct horse battery"})
        assert other.get(f"/trainer/cohorts/{cohort.id}").status_code == expected
        assert other.get(f"/trainer/cohorts/{cohort.id}?format=csv").status_code == expected
        for url in ("/staff/cohorts", f"/staff/cohorts/{cohort.id}", "/staff/cohorts/new",
                    f"/staff/cohorts/{cohort.id}/edit"):
            assert other.get(url).status_code == 403, url
        assert other.post(f"/staff/cohorts/{cohort.id}/upload").status_code in (400, 403)


def test_cohort_certificates_only_for_members(app, client, cohort, staff, make_user):
    from app.certificates.models import BulkJob, Certificate
    from app.learning.models import Completion

    member, outsider = make_user(full_name="Member"), make_user(full_name="Outsider")
    db.session.add(CohortMember(cohort_id=cohort.id, user_id=member.id))
    version_id = cohort.courses[0].current_version_id
    db.session.add_all([Completion(user_id=u.id, course_id=cohort.courses[0].id, version_id=version_id)
                        for u in (member, outsider)])
    db.session.commit()
    page = client.get(f"/staff/certificates/bulk?cohort={cohort.id}").get_data(as_text=True)
    assert "Only for the learners of the cohort" in page
    response = submit(client, "/staff/certificates/bulk", {"cohort": str(cohort.id),
                                                           "course": str(cohort.courses[0].id)},
                      page=f"/staff/certificates/bulk?cohort={cohort.id}")
    assert response.status_code == 302
    job_url = response.headers["Location"]
    for _ in range(120):  # the page started a background job; wait for it like a browser polling
        if client.get(job_url + "?format=json").get_json()["state"] == "done":
            break
        time.sleep(0.5)
    assert client.get(job_url + "?format=json").get_json()["total"] == 1
    job = db.session.scalar(db.select(BulkJob))
    issued = db.session.scalars(db.select(Certificate.learner_name).where(Certificate.id.in_(job.certificate_ids)))
    assert list(issued) == ["Member"]
