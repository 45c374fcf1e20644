"""Learning: enrol → read → complete, prerequisites, versions, dashboard and isolation."""

import pytest

from app.content import importer
from app.content.models import Course
from app.content.package import read_folder
from app.extensions import db
from app.learning import services
from app.learning.models import Completion, Enrolment, LessonProgress
from app.learning.signals import course_completed
from tests.content import packages
from tests.helpers import count_queries, run_concurrently, submit

NO_QUIZ = packages.files(**{"03-check_dot_quiz_dot_md": None})


def _import(tmp_path, slug="cyber-hygiene", contents=None, name="v1"):
    importer.import_packages([read_folder(packages.write_folder(tmp_path / name, slug, contents or NO_QUIZ))])
    db.session.commit()
    return db.session.scalar(db.select(Course).where(Course.slug == slug))


@pytest.fixture
def course(app, tmp_path):
    return _import(tmp_path)


@pytest.fixture
def learner(make_user, login):
    user = make_user(language="en")
    login(user)
    return user


def _post(client, url, page):
    return submit(client, url, {}, page=page)


def _complete(client, lesson):
    return _post(client, f"/courses/cyber-hygiene/{lesson}/complete", f"/courses/cyber-hygiene/{lesson}")


def test_journey_enrol_read_complete(client, course, learner):
    """A learner enrols, marks each lesson complete, and the course is completed once."""
    events = []
    course_completed.connect(lambda sender, **kw: events.append(kw), weak=False)
    page = client.get("/courses/cyber-hygiene").get_data(as_text=True)
    assert "Enrol and start" in page
    response = _post(client, "/courses/cyber-hygiene/enrol", "/courses/cyber-hygiene")
    assert response.headers["Location"] == "/courses/cyber-hygiene/passwords"
    page = client.get("/courses/cyber-hygiene/passwords").get_data(as_text=True)
    assert "Mark as complete and continue" in page and "Lesson 1 of 2" in page
    assert _complete(client, "passwords").headers["Location"] == "/courses/cyber-hygiene/phishing"
    page = client.get("/courses/cyber-hygiene").get_data(as_text=True)
    assert "1 of 2 done (50%)" in page and "Continue: Phishing" in page
    assert _complete(client, "phishing").headers["Location"] == "/courses/cyber-hygiene"
    page = client.get("/courses/cyber-hygiene").get_data(as_text=True)
    assert "You have completed this course" in page and "2 of 2 done (100%)" in page
    [completion] = db.session.scalars(db.select(Completion)).all()
    assert completion.version_id == course.current_version_id and completion.user_id == learner.id
    assert len([e for e in events if e["user_id"] == learner.id]) == 1
    _complete(client, "phishing")
    assert db.session.scalar(db.select(db.func.count(Completion.id))) == 1


def test_marking_complete_enrols_automatically(client, course, learner):
    """A learner who just reads and clicks "complete" is enrolled without a separate step."""
    _complete(client, "passwords")
    enrolment = db.session.scalar(db.select(Enrolment))
    assert enrolment.user_id == learner.id and enrolment.state == "active"


def test_a_learner_can_unmark_a_lesson(client, course, learner):
    """Un-marking takes the lesson out of the progress."""
    _complete(client, "passwords")
    _post(client, "/courses/cyber-hygiene/passwords/incomplete", "/courses/cyber-hygiene/passwords")
    assert "0 of 2 done (0%)" in client.get("/courses/cyber-hygiene").get_data(as_text=True)


def test_course_with_a_quiz_does_not_complete_on_lessons_alone(client, app, tmp_path, learner):
    """Every quiz must be passed too; until then the course stays in progress."""
    _import(tmp_path, contents=packages.files())
    _complete(client, "passwords")
    _complete(client, "phishing")
    assert db.session.scalar(db.select(db.func.count(Completion.id))) == 0
    assert "2 of 3 done (67%)" in client.get("/courses/cyber-hygiene").get_data(as_text=True)


def test_prerequisites_are_enforced_with_a_link(client, app, tmp_path, learner, course):
    """A course with an unmet prerequisite names and links the missing course."""
    front = packages.COURSE_MD.replace("hours: 2\n", "hours: 2\nprerequisites:\n  - cyber-hygiene\n")
    _import(tmp_path, "advanced", packages.files(course_dot_md=front, **{"03-check_dot_quiz_dot_md": None}), "adv")
    page = client.get("/courses/advanced").get_data(as_text=True)
    assert "Complete these courses first" in page and 'href="/courses/cyber-hygiene"' in page
    response = _post(client, "/courses/advanced/enrol", "/courses/advanced")
    assert response.headers["Location"] == "/courses/advanced"
    assert "Complete the required courses first." in client.get("/courses/advanced").get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Enrolment.id))) == 0
    _complete(client, "passwords")
    _complete(client, "phishing")
    assert _post(client, "/courses/advanced/enrol", "/courses/advanced").headers["Location"].endswith("/passwords")


def test_staff_can_enrol_a_learner_past_prerequisites(app, tmp_path, make_user, course):
    """The service staff tools call can enrol anyone, optionally without the prerequisite check."""
    staff, learner = make_user(role="staff"), make_user()
    enrolment = services.enrol(learner, course, enrolled_by=staff, check_prerequisites=False)
    db.session.commit()
    assert enrolment.enrolled_by_id == staff.id


def test_leaving_keeps_history_and_coming_back_restores_it(client, course, learner):
    """Unenrolling hides the course from the dashboard but keeps progress for a return."""
    _complete(client, "passwords")
    _post(client, "/courses/cyber-hygiene/leave", "/courses/cyber-hygiene")
    assert db.session.scalar(db.select(Enrolment)).state == "withdrawn"
    assert "Cyber hygiene" not in client.get("/dashboard").get_data(as_text=True).split("Completed courses")[0]
    assert db.session.scalar(db.select(db.func.count(LessonProgress.id))) == 1
    _post(client, "/courses/cyber-hygiene/enrol", "/courses/cyber-hygiene")
    assert "1 of 2 done (50%)" in client.get("/courses/cyber-hygiene").get_data(as_text=True)


def test_new_version_moves_learners_and_keeps_lessons_by_slug(client, app, tmp_path, course, learner):
    """A new version carries completed lessons over by slug; a new lesson is added to do."""
    _complete(client, "passwords")
    new_lesson = "---\ntitle: Updates\nminutes: 5\n---\n\n## Update now\n\nInstall updates.\n"
    v2 = dict(NO_QUIZ, **{"03-updates.md": new_lesson})
    _import(tmp_path, contents=v2, name="v2")
    enrolment = db.session.scalar(db.select(Enrolment))
    assert enrolment.version.number == 2
    assert "1 of 3 done (33%)" in client.get("/courses/cyber-hygiene").get_data(as_text=True)


def test_reimporting_unchanged_package_never_moves_progress(client, app, tmp_path, course, learner):
    """Progress never goes backwards or over 100% when the same package is imported again."""
    _complete(client, "passwords")
    _complete(client, "phishing")
    _import(tmp_path, name="again")
    page = client.get("/courses/cyber-hygiene").get_data(as_text=True)
    assert "2 of 2 done (100%)" in page


def test_completed_learners_stay_on_their_version(client, app, tmp_path, course, learner):
    """A learner who completed v1 keeps v1 (their completion and certificate refer to it)."""
    _complete(client, "passwords")
    _complete(client, "phishing")
    _import(tmp_path, contents=dict(NO_QUIZ, **{"03-extra.md": "---\ntitle: Extra\n---\n\nMore.\n"}), name="v2")
    enrolment = db.session.scalar(db.select(Enrolment))
    assert enrolment.version.number == 1 and enrolment.completed_at is not None


def test_removed_last_lesson_completes_on_new_version(client, app, tmp_path, course, learner):
    """If the only lesson left to do disappears in a new version, the learner completes then."""
    _complete(client, "passwords")
    _import(tmp_path, contents=packages.files(**{"02-phishing_dot_md": None, "03-check_dot_quiz_dot_md": None,
                                                 "01-passwords_dot_md": packages.LESSON_1.replace(
                                                     "Next: [the lesson on phishing](02-phishing.md).", "")}),
            name="v2")
    assert db.session.scalar(db.select(db.func.count(Completion.id))) == 1


def test_dashboard_shows_continue_progress_completed_and_recommended(app, client, tmp_path, course, learner):
    """My learning: continue link to the next lesson, progress, completed with a date, recommendations."""
    _import(tmp_path, "gdpr-basics", name="other")
    _complete(client, "passwords")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Continue where you left off" in page
    assert 'href="/courses/cyber-hygiene/phishing"' in page and "1 of 2 done (50%)" in page
    assert "Recommended for you" in page and 'href="/courses/gdpr-basics"' in page
    _complete(client, "phishing")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "completed on" in page


def test_empty_dashboard_helps(client, learner):
    """A new learner's dashboard says what to do next."""
    page = client.get("/dashboard").get_data(as_text=True)
    assert "You are not taking any course at the moment." in page and 'href="/"' in page


def test_another_learners_progress_is_never_shown(app, client, course, learner, make_user):
    """Progress belongs to its learner: a second learner sees their own, empty state."""
    _complete(client, "passwords")
    other = make_user()
    other_client = app.test_client()
    submit(other_client, "/account/login", {"email": other.email, "password": "correct horse battery"})
    assert "done (" not in other_client.get("/courses/cyber-hygiene").get_data(as_text=True)
    assert "Cyber hygiene" not in other_client.get("/dashboard").get_data(as_text=True).split("Completed")[0]


def test_actions_need_sign_in_and_csrf(client, course):
    """Visitors are sent to sign in; posts without a token are refused."""
    assert client.post("/courses/cyber-hygiene/enrol").status_code in (302, 400)
    assert client.get("/dashboard").status_code == 302


def test_unknown_lesson_cannot_be_marked(client, course, learner):
    """Marking a slug that is not a lesson of the course changes nothing."""
    _post(client, "/courses/cyber-hygiene/nope/complete", "/courses/cyber-hygiene")
    assert db.session.scalar(db.select(db.func.count(LessonProgress.id))) == 0


@pytest.mark.postgresql_only
def test_concurrent_mark_complete_records_one_completion(app, course, make_user):
    """Ten simultaneous "complete" clicks on the last lesson record exactly one completion."""
    learner = make_user()
    services.mark_complete(learner, course, "passwords")
    db.session.commit()
    learner_id, course_id, user_model = learner.id, course.id, type(learner)  # no shared session in threads

    def click():
        return services.mark_complete(db.session.get(user_model, learner_id), db.session.get(Course, course_id),
                                      "phishing")

    _results, errors = run_concurrently(app, 10, click)
    assert errors == []
    assert db.session.scalar(db.select(db.func.count(Completion.id))) == 1
    assert db.session.scalar(db.select(db.func.count(LessonProgress.id))) == 2


@pytest.mark.parametrize("path", ["/dashboard", "/courses/cyber-hygiene", "/courses/cyber-hygiene/passwords"])
def test_pages_use_a_fixed_number_of_queries(app, client, tmp_path, learner, path):
    """With many courses and lessons, the learner's pages still make a small fixed number of queries."""
    many_lessons = dict(NO_QUIZ)
    for n in range(3, 30):
        many_lessons[f"{n:02d}-extra-{n}.md"] = f"---\ntitle: Extra {n}\n---\n\nText {n}.\n"
    _import(tmp_path, contents=many_lessons)
    for n in range(12):
        _import(tmp_path, f"course-{n}", name=f"c{n}")
    for n in range(6):
        _post(client, f"/courses/course-{n}/enrol", f"/courses/course-{n}")
    _complete(client, "passwords")
    with count_queries(app.extensions["sqlalchemy"].engine) as counter:
        assert client.get(path).status_code == 200
    assert counter.count <= 11, counter.statements  # the dashboard's skills check section adds one
