"""GDPR tools a learner uses: download my data, erase my account, and the privacy notice."""

import dataclasses
import json
from datetime import date

import pytest

from app import audit
from app.accounts.models import User
from app.certificates.models import Certificate
from app.extensions import db
from app.learning.models import Enrolment, LessonProgress
from app.quizzes import item_analysis
from app.quizzes.models import Attempt, Quiz
from tests.accounts.privacy_data import (
    COMMENT,
    ESSAY_TEXT,
    SHORT_TEXT,
    download,
    downloaded,
    learner_with_history,
)
from tests.helpers import count_queries, csrf_token_from, submit

PASSWORD = "correct horse battery"


def _erase(client, password=PASSWORD, withdraw=False):
    data = {"password": password}
    if withdraw:
        data["withdraw_certificates"] = "y"
    return submit(client, "/account/erase", data)


def test_download_holds_every_section(app, client, login, make_user, organisation, tmp_path):
    """The download is a versioned JSON file with the profile, courses, progress, answers and certificates."""
    learner, _trainer = learner_with_history(tmp_path, make_user, organisation)
    login(learner)
    response = download(client)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == f'attachment; filename="cyber4all-my-data-{date.today()}.json"'
    document = json.loads(response.get_data(as_text=True))
    assert document["format"] == "cyber4all-personal-data/1"
    assert document["profile"]["email"] == "maria.ivanova@example.bg"
    assert document["profile"]["full_name"] == "Мария Иванова"
    assert document["organisation"] == {"name": "Община Пловдив", "kind": "municipality", "country": "BG"}
    enrolment = document["learning"]["enrolments"][0]
    assert [lesson["lesson"] for lesson in enrolment["lessons_completed"]] == ["passwords", "phishing"]
    assert document["learning"]["completions"][0]["course"] == "course-0"
    attempt = document["quiz_attempts"][0]
    answers = {question["type"]: question for question in attempt["questions"]}
    assert answers["single"]["your_answer"] == "correct-horse-battery-staple"
    assert answers["single"]["feedback"] == ["Long passphrases beat short complex ones."]
    assert answers["short"]["your_answer"] == SHORT_TEXT
    assert answers["essay"]["your_answer"] == ESSAY_TEXT and answers["essay"]["trainer_comment"] == COMMENT
    assert answers["essay"]["points_earned"] == 3.0 and attempt["passed"] is True
    certificate = document["certificates"][0]
    assert certificate["state"] == "valid" and certificate["name_on_certificate"] == "Мария Иванова"
    assert certificate["verification_url"].startswith("http://academy.test/verify/")


def test_download_lists_audit_entries_about_me(app, client, login, make_user, organisation, tmp_path):
    """Staff actions about the learner appear in the download, naming staff by role, not by address."""
    learner, _trainer = learner_with_history(tmp_path, make_user, organisation)
    staff = make_user(role="staff", email="officer@hub.bg")
    audit.record("user.accommodation_changed", actor=staff, target=learner, old="standard", new="50")
    db.session.commit()
    login(learner)
    entries = downloaded(client)["audit_log"]
    assert [(entry["action"], entry["by"]) for entry in entries] == [("user.accommodation_changed", "hub staff")]
    assert entries[0]["details"] == {"old": "standard", "new": "50"}
    assert "officer@hub.bg" not in json.dumps(entries)


def test_download_costs_the_same_queries_for_one_or_three_courses(app, make_user, organisation, tmp_path):
    """The download's query count does not grow with the learner's history."""
    counts = []
    for courses in (1, 3):
        learner, _trainer = learner_with_history(tmp_path / str(courses), make_user, organisation, courses)
        client = app.test_client()
        submit(client, "/account/login", {"email": learner.email, "password": PASSWORD})
        token = csrf_token_from(client.get("/account/profile").get_data(as_text=True))
        with count_queries(db.engine) as counter:
            response = client.post("/account/profile/data", data={"csrf_token": token})
        assert response.status_code == 200
        assert len(json.loads(response.get_data(as_text=True))["quiz_attempts"]) == courses
        counts.append(counter.count)
        learner.email = f"done-{courses}@example.bg"  # the next learner gets the same address
        db.session.commit()
    assert counts[0] == counts[1] and counts[0] <= 12, counts


def test_profile_offers_download_and_erasure(client, login, make_user):
    """My account has a "Download my data" button, a link to erase the account and to the notice."""
    login(make_user())
    page = client.get("/account/profile").get_data(as_text=True)
    assert 'action="/account/profile/data"' in page and "Download my data" in page
    assert 'href="/account/erase"' in page and 'href="/privacy"' in page


def test_erase_page_explains_what_happens(app, client, login, make_user):
    """The confirmation page says what is removed, what is kept, and asks for the password; few queries."""
    user = make_user()
    login(user)
    with count_queries(db.engine) as counter:
        page = client.get("/account/erase").get_data(as_text=True)
    assert counter.count <= 3, counter.statements
    assert f"“Изтрит потребител {user.id}”" in page  # the pseudonym, in the hub's default language
    assert "Also withdraw my certificates" in page and 'name="password"' in page
    assert "statistics" in page and "Audit log entries" in page


def test_erasure_pseudonymises_and_keeps_scores(app, client, login, make_user, organisation, tmp_path):
    """Erasure replaces the name, address and free-text answers but keeps scores and progress."""
    learner, _trainer = learner_with_history(tmp_path, make_user, organisation)
    quiz = db.session.scalar(db.select(Quiz))
    before = dataclasses.asdict(item_analysis.analyse_quiz(quiz))
    scores = [(a.score, a.percent, a.passed, a.results) for a in db.session.scalars(db.select(Attempt))]
    login(learner)
    response = _erase(client)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    db.session.expire_all()
    user = db.session.get(User, learner.id)
    assert user.full_name == f"Изтрит потребител {user.id}"
    assert user.email.endswith("@erased.invalid") and user.password_hash is None
    assert user.organisation_id is None and user.is_erased and not user.active
    attempt = db.session.scalar(db.select(Attempt))
    assert set(attempt.answers.values()) >= {"[erased]"} and SHORT_TEXT not in json.dumps(attempt.answers)
    assert ESSAY_TEXT not in json.dumps(attempt.answers, ensure_ascii=False)
    assert attempt.comments and set(attempt.comments.values()) == {"[erased]"}
    assert [(a.score, a.percent, a.passed, a.results) for a in db.session.scalars(db.select(Attempt))] == scores
    assert dataclasses.asdict(item_analysis.analyse_quiz(quiz)) == before
    assert db.session.scalar(db.select(db.func.count(LessonProgress.id))) == 2
    assert db.session.scalar(db.select(db.func.count(Enrolment.id))) == 1


def test_certificate_stays_verifiable_after_erasure(app, client, login, make_user, organisation, tmp_path):
    """By default the certificate still verifies as valid with its printed name, and says the account closed."""
    learner, _trainer = learner_with_history(tmp_path, make_user, organisation)
    certificate = db.session.scalar(db.select(Certificate))
    certificate.pdf = b"%PDF-1.7 stored copy"
    db.session.commit()
    login(learner)
    _erase(client)
    db.session.expire_all()
    kept = db.session.get(Certificate, certificate.id)
    assert kept.state == "valid" and kept.learner_name == "Мария Иванова" and kept.pdf is None
    page = app.test_client().get(f"/verify/{kept.code}").get_data(as_text=True)
    assert "Valid" in page and "Мария Иванова" in page
    assert "The holder has closed their account" in page and 'href="/privacy#certificates"' in page


def test_withdrawn_certificates_show_revoked(app, client, login, make_user, organisation, tmp_path):
    """"Also withdraw my certificates" revokes them with the stated reason and removes the name."""
    learner, _trainer = learner_with_history(tmp_path, make_user, organisation)
    code = db.session.scalar(db.select(Certificate.code))
    login(learner)
    _erase(client, withdraw=True)
    db.session.expire_all()
    certificate = db.session.scalar(db.select(Certificate))
    assert certificate.state == "revoked" and certificate.revoked_reason == "Withdrawn at the holder's request."
    assert certificate.learner_name == f"Изтрит потребител {learner.id}"
    page = app.test_client().get(f"/verify/{code}").get_data(as_text=True)
    assert "Revoked" in page and "Withdrawn at the holder&#39;s request." in page and "Мария" not in page
    status = app.test_client().get(f"/api/v1/certificates/{code}").get_json()
    assert status["status"] == "revoked" and "Мария" not in json.dumps(status, ensure_ascii=False)


def test_erasure_is_audited_without_personal_data(app, client, login, make_user, organisation, tmp_path):
    """One "user.erased" entry records the erasure; it carries neither the name nor the address."""
    learner, _trainer = learner_with_history(tmp_path, make_user, organisation)
    login(learner)
    _erase(client)
    entry = db.session.scalar(db.select(audit.AuditEvent).where(audit.AuditEvent.action == "user.erased"))
    assert entry.target_id == learner.id and entry.details == {"requested_by": "self", "certificates_withdrawn": False}
    text = json.dumps([entry.actor_email, entry.target_label, entry.details], ensure_ascii=False)
    assert "maria.ivanova" not in text and "Мария" not in text


def test_staff_erase_a_learner_on_request(app, client, login, make_user, organisation, tmp_path):
    """Staff erase a learner from the person's page after confirming the request; it is audited with the actor."""
    learner, _trainer = learner_with_history(tmp_path, make_user, organisation)
    staff = make_user(role="staff")
    login(staff)
    page = client.get(f"/staff/people/{learner.id}/erase").get_data(as_text=True)
    assert "Erase the account of Мария Иванова" in page
    refused = submit(client, f"/staff/people/{learner.id}/erase", {})
    assert refused.status_code == 200 and "Confirm that the person asked for the erasure." in refused.get_data(
        as_text=True)
    db.session.expire_all()
    assert not db.session.get(User, learner.id).is_erased
    response = submit(client, f"/staff/people/{learner.id}/erase", {"confirm": "y", "withdraw_certificates": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, learner.id).is_erased
    assert db.session.scalar(db.select(Certificate.state)) == "revoked"
    entry = db.session.scalar(db.select(audit.AuditEvent).where(audit.AuditEvent.action == "user.erased"))
    assert entry.actor_id == staff.id and entry.details["requested_by"] == "staff"
    person = client.get(f"/staff/people/{learner.id}").get_data(as_text=True)
    assert "Erased" in person and "This account was erased on" in person


@pytest.mark.parametrize("language, expected", [
    ("en", ["Privacy notice", "Who is responsible", "Commission for Personal Data Protection", "www.cpdp.bg",
            "Download my data", "Erase my account", "Art. 17(3)(b) and (e)", "Cookies", "until you erase it"]),
    ("bg", ["Уведомление за поверителност", "Кой отговаря за данните", "Комисията за защита на личните данни",
            "www.cpdp.bg", "Изтегли данните ми", "Изтрий профила ми", "Бисквитки"]),
])
def test_privacy_notice_in_each_language(client, app, language, expected):
    """The privacy notice exists in Bulgarian and English, names the hub and how to use each right here."""
    page = client.get("/privacy", headers={"Accept-Language": language}).get_data(as_text=True)
    for text in expected:
        assert text in page, text
    assert f'<html lang="{language}"' in page and f"mailto:{app.config['CONTACT_EMAIL']}" in page


def test_privacy_notice_states_the_retention_period(app, client):
    """When the admin sets a retention period, the notice states the months."""
    from app.accounts.settings import set_retention_months

    set_retention_months(24)
    db.session.commit()
    page = client.get("/privacy").get_data(as_text=True)
    assert "After 24 months without signing in" in page


def test_every_page_and_registration_link_to_the_notice(app, client, organisation):
    """The footer of every page and the registration form link to the privacy notice; the page is cheap."""
    for path in ("/", "/verify", "/account/login", "/account/register", "/no-such-page"):
        assert 'href="/privacy"' in client.get(path).get_data(as_text=True), path
    register = client.get("/account/register").get_data(as_text=True)
    assert register.count('href="/privacy"') == 2
    with count_queries(db.engine) as counter:
        assert client.get("/privacy").status_code == 200
    assert counter.count <= 1, counter.statements


def test_staff_erase_page_uses_few_queries(app, client, make_user, login, organisation):
    """The staff confirmation page costs a fixed, small number of queries."""
    learner = make_user(organisation=organisation)
    login(make_user(role="staff"))
    with count_queries(db.engine) as counter:
        page = client.get(f"/staff/people/{learner.id}/erase").get_data(as_text=True)
    assert counter.count <= 3, counter.statements
    assert 'name="confirm"' in page and 'name="withdraw_certificates"' in page
