"""Trainer studio: upload, edit with preview and validation, publish, download, permissions."""

import io
import zipfile

import pytest

from app.content import importer
from app.content.models import Course, CourseEditor, CourseVersion
from app.content.package import read_folder
from app.extensions import db
from tests.content import packages
from tests.helpers import csrf_token_from, submit


def _upload(client, data, filename="cyber-hygiene.zip"):
    token = csrf_token_from(client.get("/trainer/upload").get_data(as_text=True))
    return client.post("/trainer/upload", data={"csrf_token": token, "package": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def _course():
    db.session.expire_all()
    return db.session.scalar(db.select(Course).where(Course.slug == "cyber-hygiene"))


@pytest.fixture
def trainer(make_user, login):
    user = make_user(role="trainer")
    login(user)
    return user


@pytest.fixture
def owned_course(app, tmp_path, trainer):
    importer.import_packages([read_folder(packages.write_folder(tmp_path))], user=trainer)
    db.session.commit()
    return _course()


@pytest.mark.parametrize("role, status", [("learner", 403), ("trainer", 200), ("staff", 200), ("admin", 200)])
def test_studio_is_for_trainers_and_staff(client, make_user, login, role, status):
    """Learners cannot open the studio."""
    login(make_user(role=role))
    assert client.get("/trainer/").status_code == status
    assert client.get("/trainer/upload").status_code == status


def test_upload_creates_a_draft_owned_by_the_trainer(client, trainer):
    """A valid zip becomes version 1 as a draft; the trainer becomes its editor."""
    response = _upload(client, packages.zip_bytes())
    assert response.status_code == 302 and response.headers["Location"] == "/trainer/courses/cyber-hygiene"
    course = _course()
    assert not course.published and [e.user_id for e in course.editors] == [trainer.id]
    page = client.get("/trainer/courses/cyber-hygiene").get_data(as_text=True)
    assert "Version 1 was saved as a draft" in page and "Publish version 1" in page


def test_upload_with_errors_lists_every_problem_and_saves_nothing(client, trainer):
    """A broken package shows file:line messages linking nowhere unsafe, and nothing is saved."""
    broken = packages.files(**{"01-passwords_dot_md": "---\nminutes: 5\n---\n![](assets/none.png)\n"})
    response = _upload(client, packages.zip_bytes(broken))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "cyber-hygiene/01-passwords.md:1" in page and "the file has no title" in page
    assert "cyber-hygiene/01-passwords.md:4" in page and "has no alt text" in page
    assert _course() is None


@pytest.mark.parametrize("data, filename, message", [
    (b"not a zip at all", "course.zip", "this is not a readable .zip file"),
    (b"PK\x03\x04garbage", "course.zip", "this is not a readable .zip file"),
    (packages.zip_bytes(), "course.exe", "The package must be a .zip file."),
])
def test_bad_uploads_are_explained(client, trainer, data, filename, message):
    """Garbage and wrong file types get a clear message at the field."""
    page = _upload(client, data, filename).get_data(as_text=True)
    assert message in page


def test_zip_attack_names_the_refused_member(client, trainer):
    """An archive with a path trick is refused and the message names the member."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("course.md", "x")
        archive.writestr("../../etc/cron.d/evil", "x")
    page = _upload(client, buffer.getvalue()).get_data(as_text=True)
    assert "../../etc/cron.d/evil" in page and "paths with &#39;..&#39; are not allowed" in page


def test_other_trainers_cannot_take_over_a_course(client, app, tmp_path, make_user, login, owned_course):
    """Uploading a package with another trainer's slug is refused; their course is untouched."""
    other = make_user(role="trainer")
    other_client = app.test_client()
    submit(other_client, "/account/login", {"email": other.email, "password": "correct horse battery"})
    changed = packages.files(**{"02-phishing_dot_md": packages.LESSON_2 + "\nHijacked.\n"})
    page = _upload(other_client, packages.zip_bytes(changed)).get_data(as_text=True)
    assert "belongs to other trainers" in page
    assert db.session.scalar(db.select(db.func.count(CourseVersion.id))) == 1
    assert other_client.get("/trainer/courses/cyber-hygiene").status_code == 404
    assert other_client.get("/trainer/courses/cyber-hygiene/download/1.zip").status_code == 404


def test_edit_preview_shows_rendered_html_and_problems(client, owned_course):
    """Checking an edit shows the rendered preview and the validator's messages, saving nothing."""
    page = client.get("/trainer/courses/cyber-hygiene/edit/01-passwords.md").get_data(as_text=True)
    assert "Use a passphrase." in page and "<textarea" in page
    text = "---\ntitle: Passwords\n---\n\n## New\n\nBroken [link](09-nowhere.md) and <script>alert(1)</script>\n"
    response = submit(client, "/trainer/courses/cyber-hygiene/edit/01-passwords.md",
                      {"source": text, "base_version": "1", "action": "preview"})
    page = response.get_data(as_text=True)
    assert "cyber-hygiene/01-passwords.md:7" in page and "09-nowhere.md" in page
    assert 'href="/trainer/courses/cyber-hygiene/edit/01-passwords.md?line=7"' in page
    assert "<h2 id=\"new\">New</h2>" in page
    assert "<script>alert(1)</script>" not in page
    assert db.session.scalar(db.select(db.func.count(CourseVersion.id))) == 1


def test_saving_an_edit_makes_a_draft_and_publishing_it_goes_live(client, owned_course):
    """Save creates version 2 as a draft; learners see it only after Publish."""
    text = "---\ntitle: Passwords and passphrases\nminutes: 10\n---\n\n## Long passphrases\n\nNew advice.\n"
    response = submit(client, "/trainer/courses/cyber-hygiene/edit/01-passwords.md",
                      {"source": text, "base_version": "1", "action": "save"})
    assert response.status_code == 302
    assert _course().current_version.number == 1
    assert "New advice." not in client.get("/courses/cyber-hygiene/passwords").get_data(as_text=True)
    submit(client, "/trainer/courses/cyber-hygiene/publish/2", {}, page="/trainer/courses/cyber-hygiene")
    assert _course().current_version.number == 2
    assert "New advice." in client.get("/courses/cyber-hygiene/passwords").get_data(as_text=True)


def test_saving_an_invalid_edit_keeps_the_text_and_saves_nothing(client, owned_course):
    """A broken edit is not saved; the trainer's text stays in the editor with the messages."""
    text = "---\nminutes: 3\n---\nMy unsaved work\n"
    response = submit(client, "/trainer/courses/cyber-hygiene/edit/01-passwords.md",
                      {"source": text, "base_version": "1", "action": "save"})
    page = response.get_data(as_text=True)
    assert "My unsaved work" in page and "the file has no title" in page
    assert db.session.scalar(db.select(db.func.count(CourseVersion.id))) == 1


def test_stale_editor_cannot_overwrite_a_newer_version(client, owned_course):
    """If a newer version was saved meanwhile, an edit based on the old one is refused, text kept."""
    submit(client, "/trainer/courses/cyber-hygiene/edit/02-phishing.md",
           {"source": packages.LESSON_2 + "\nFirst.\n", "base_version": "1", "action": "save"})
    response = submit(client, "/trainer/courses/cyber-hygiene/edit/02-phishing.md",
                      {"source": packages.LESSON_2 + "\nStale.\n", "base_version": "1", "action": "save"},
                      page="/trainer/courses/cyber-hygiene/edit/02-phishing.md")
    page = response.get_data(as_text=True)
    assert "Someone saved a newer version" in page and "Stale." in page
    assert db.session.scalar(db.select(db.func.count(CourseVersion.id))) == 2


def test_cannot_edit_files_outside_the_package(client, owned_course):
    """Paths that are not a lesson, quiz or course.md of this course give 404."""
    for path in ("assets/card.svg", "../../config.py", "nope.md"):
        assert client.get(f"/trainer/courses/cyber-hygiene/edit/{path}").status_code == 404


def test_download_round_trips(client, owned_course):
    """The downloaded .zip is the package; importing it changes nothing."""
    from app.content.package import read_zip

    response = client.get("/trainer/courses/cyber-hygiene/download/1.zip")
    assert response.mimetype == "application/zip"
    assert 'filename="cyber-hygiene-v1.zip"' in response.headers["Content-Disposition"]
    [result] = importer.import_packages([read_zip(response.data, "x.zip")])
    assert result.status == "unchanged"


def test_unpublish_hides_the_course(client, owned_course):
    """Removing a course from the catalogue hides it from learners."""
    submit(client, "/trainer/courses/cyber-hygiene/unpublish", {}, page="/trainer/courses/cyber-hygiene")
    assert not _course().published
    assert "Cyber hygiene" not in client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_publish_needs_csrf(client, owned_course):
    """Publishing cannot be triggered from another site."""
    assert client.post("/trainer/courses/cyber-hygiene/unpublish").status_code == 400
    assert _course().published


def test_staff_see_every_course_trainers_only_theirs(app, client, owned_course, make_user, login):
    """The studio list shows a trainer their own courses and staff all courses."""
    assert "Cyber hygiene" in client.get("/trainer/").get_data(as_text=True)
    other = app.test_client()
    stranger = make_user(role="trainer")
    submit(other, "/account/login", {"email": stranger.email, "password": "correct horse battery"})
    assert "You have no courses yet" in other.get("/trainer/").get_data(as_text=True)
    staff = app.test_client()
    submit(staff, "/account/login", {"email": make_user(role="staff").email, "password": "correct horse battery"})
    assert "Cyber hygiene" in staff.get("/trainer/").get_data(as_text=True)


def test_co_author_can_edit(app, owned_course, make_user):
    """A trainer added as co-author may open the course in the studio."""
    co_author = make_user(role="trainer")
    db.session.add(CourseEditor(course_id=owned_course.id, user_id=co_author.id))
    db.session.commit()
    other = app.test_client()
    submit(other, "/account/login", {"email": co_author.email, "password": "correct horse battery"})
    assert other.get("/trainer/courses/cyber-hygiene").status_code == 200


@pytest.mark.parametrize("path, limit", [
    ("/trainer/", 4), ("/trainer/courses/cyber-hygiene", 7), ("/trainer/courses/cyber-hygiene/edit/01-passwords.md", 9),
])
def test_studio_pages_use_few_queries(app, client, owned_course, path, limit):
    """Studio pages make a bounded number of queries whatever the number of lessons."""
    from tests.helpers import count_queries

    with count_queries(app.extensions["sqlalchemy"].engine) as counter:
        assert client.get(path).status_code == 200
    assert counter.count <= limit, counter.statements


def test_co_authors_are_managed_by_email(client, owned_course, make_user, trainer):
    """An editor adds another trainer by e-mail; non-trainers and the last editor are refused."""
    colleague = make_user(role="trainer", email="colleague@hub.bg")
    learner = make_user(email="learner@hub.bg")
    page = "/trainer/courses/cyber-hygiene"
    assert "can now edit this course" in client.get(
        submit(client, page + "/editors", {"email": "Colleague@hub.bg "}, page=page).headers["Location"]
    ).get_data(as_text=True)
    response = submit(client, page + "/editors", {"email": learner.email}, page=page)
    assert "No trainer has the e-mail address" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert {e.user_id for e in _course().editors} == {trainer.id, colleague.id}
    submit(client, f"{page}/editors/{colleague.id}/remove", {}, page=page)
    response = submit(client, f"{page}/editors/{trainer.id}/remove", {}, page=page)
    assert "at least one trainer" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert {e.user_id for e in _course().editors} == {trainer.id}


def test_importing_a_gift_bank_adds_a_quiz_draft(client, owned_course):
    """A Moodle GIFT file becomes a new quiz file in a draft version, graded the same way."""
    gift = b"::Port:: Which port does HTTPS use? {=443 =%50%8443}\n\n::TF:: The sky is green. {F}\n"
    token = csrf_token_from(client.get("/trainer/courses/cyber-hygiene").get_data(as_text=True))
    response = client.post("/trainer/courses/cyber-hygiene/question-bank", content_type="multipart/form-data",
                           data={"csrf_token": token, "title": "Moodle bank",
                                 "bank": (io.BytesIO(gift), "Bank 1.gift")})
    assert response.status_code == 302
    page = client.get("/trainer/courses/cyber-hygiene").get_data(as_text=True)
    assert "new quiz in draft version 2" in page and "04-bank-1.quiz.md" in page
    source = next(i.source for i in db.session.scalar(
        db.select(CourseVersion).where(CourseVersion.number == 2)).items if i.filename == "04-bank-1.quiz.md")
    assert "{short}" in source and "- {50%} 8443" in source and "{true-false}" in source


def test_importing_a_broken_bank_explains_and_saves_nothing(client, owned_course):
    """A GIFT file with an error shows path:line and creates no version."""
    token = csrf_token_from(client.get("/trainer/courses/cyber-hygiene").get_data(as_text=True))
    response = client.post("/trainer/courses/cyber-hygiene/question-bank", content_type="multipart/form-data",
                           data={"csrf_token": token, "title": "Bad",
                                 "bank": (io.BytesIO(b"Question {=a ~b"), "x.gift")})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "x.gift:1:" in page
    assert db.session.scalar(db.select(db.func.count(CourseVersion.id))) == 1


def test_failed_upload_of_an_existing_course_links_each_problem_to_the_editor(client, owned_course, make_user):
    """The trainer can fix the problem in the browser: each file:line opens the editor at that line."""
    no_alt = packages.LESSON_1.replace("![A strong passphrase written on a card]", "![]")
    broken = packages.files(**{"01-passwords_dot_md": no_alt})
    page = _upload(client, packages.zip_bytes(broken)).get_data(as_text=True)
    assert 'href="/trainer/courses/cyber-hygiene/edit/01-passwords.md?line=' in page
    other = client.application.test_client()
    submit(other, "/account/login", {"email": make_user(role="trainer").email, "password": "correct horse battery"})
    page = _upload(other, packages.zip_bytes(broken)).get_data(as_text=True)
    assert "/edit/01-passwords.md" not in page  # someone else's course: the problems, but no way into its editor
