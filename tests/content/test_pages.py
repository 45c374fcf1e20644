"""Catalogue, course and lesson pages as learners, visitors and editors see them."""

import pytest

from app.content import importer
from app.content.models import Course, CourseEditor
from app.content.package import read_folder
from app.extensions import db
from tests.content import packages
from tests.helpers import count_queries

BG_COURSE = """---
title: Киберхигиена
language: bg
summary: Защитете профилите и устройствата си на работа.
level: beginner
hours: 1.5
translation_of: cyber-hygiene
competences:
  - 4.1 Защита на устройствата
---

## За кого е курсът

За всички служители.
"""


@pytest.fixture
def courses(app, tmp_path):
    """An English course and its Bulgarian translation, published."""
    english = read_folder(packages.write_folder(tmp_path, "cyber-hygiene"))
    bulgarian = read_folder(packages.write_folder(tmp_path, "kiberhigiena", packages.files(course_dot_md=BG_COURSE)))
    importer.import_packages([english, bulgarian])
    db.session.commit()


def test_catalogue_lists_published_courses(client, courses):
    """The home page lists each published course with its summary, level, hours and language."""
    page = client.get("/").get_data(as_text=True)
    assert "Cyber hygiene" in page and "Киберхигиена" in page
    assert "Protect your accounts and devices at work." in page
    assert "2 hours" in page and "1.5 hours" in page and "Beginner" in page
    assert "2 courses" in page


@pytest.mark.parametrize("query, expected, absent", [
    ("?language=bg", "Киберхигиена", "Cyber hygiene"),
    ("?language=en", "Cyber hygiene", "Киберхигиена"),
    ("?q=ПРОФИЛИТЕ", "Киберхигиена", "Cyber hygiene"),
    ("?q=accounts+devices", "Cyber hygiene", "Киберхигиена"),
    ("?competence=4.1+Protecting+devices", "Cyber hygiene", "Киберхигиена"),
    ("?level=beginner", "Cyber hygiene", "No course matches"),
])
def test_catalogue_filters_and_search(client, courses, query, expected, absent):
    """Filters by language, level and competence, and case-insensitive search in both alphabets."""
    page = client.get("/" + query).get_data(as_text=True)
    assert f">{expected}</a>" in page or expected in page
    assert f">{absent}</a>" not in page


@pytest.mark.parametrize("query", ["?q=%27%20OR%201%3D1%20--", "?q=%25", "?q=_", "?level=<script>", "?q=" + "x" * 5000])
def test_catalogue_hostile_queries_find_nothing_and_break_nothing(client, courses, query):
    """SQL or wildcard characters and overlong input simply match nothing."""
    response = client.get("/" + query)
    assert response.status_code == 200
    assert "No course matches your search." in response.get_data(as_text=True)
    assert "<script>" not in response.get_data(as_text=True).split("</header>")[1]


def test_empty_catalogue_explains_itself(client):
    """Before any course is published, the page says so and offers the next step."""
    assert "No courses are published yet." in client.get("/").get_data(as_text=True)


def test_course_page_shows_what_a_learner_needs(client, courses):
    """Description, lessons with time, quiz, competences, certificate rule and the other language."""
    page = client.get("/courses/cyber-hygiene").get_data(as_text=True)
    assert "Everyone at the municipality." in page
    assert 'href="/courses/cyber-hygiene/passwords"' in page and "10 minutes" in page
    assert "Check" in page and "Quiz" in page
    assert "4.1 Protecting devices" in page
    assert "Complete every lesson and pass every quiz." in page and "valid for 12 months" in page
    assert 'href="/courses/kiberhigiena"' in page and 'lang="bg"' in page
    assert "Start reading" in page


def test_translation_link_works_both_ways(client, courses):
    """The Bulgarian course links back to the English one."""
    assert 'href="/courses/cyber-hygiene"' in client.get("/courses/kiberhigiena").get_data(as_text=True)


def test_lesson_page(client, courses):
    """A lesson shows its place in the course, its content, and the way on."""
    page = client.get("/courses/cyber-hygiene/passwords").get_data(as_text=True)
    assert "Lesson 1 of 2" in page and "<h1>Passwords</h1>" in page
    assert "Use a passphrase." in page
    assert 'rel="next" href="/courses/cyber-hygiene/phishing"' in page
    last = client.get("/courses/cyber-hygiene/phishing").get_data(as_text=True)
    assert "Lesson 2 of 2" in last and 'rel="prev" href="/courses/cyber-hygiene/passwords"' in last


def test_unknown_course_or_lesson_is_404(client, courses):
    """Mistyped addresses give the friendly 404 page."""
    assert client.get("/courses/nope").status_code == 404
    assert client.get("/courses/cyber-hygiene/nope").status_code == 404
    assert client.get("/courses/cyber-hygiene/check").status_code == 404  # a quiz is not a lesson page


def test_assets_are_served_safely_and_cached(client, courses):
    """Images load with their type, a sandboxing CSP and a long cache lifetime."""
    version = db.session.scalar(db.select(Course).where(Course.slug == "cyber-hygiene")).current_version
    asset = version.assets[0]
    response = client.get(f"/assets/{asset.sha256}/card.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "immutable" in response.headers["Cache-Control"]
    assert client.get("/assets/" + "0" * 64 + "/card.svg").status_code == 404


def _unpublish(slug):
    course = db.session.scalar(db.select(Course).where(Course.slug == slug))
    course.published = False
    db.session.commit()
    return course


def test_unpublished_course_is_hidden_from_learners(client, courses, make_user, login):
    """An unpublished course is not listed and its pages are 404 for learners and visitors."""
    _unpublish("cyber-hygiene")
    assert "Cyber hygiene" not in client.get("/").get_data(as_text=True)
    assert client.get("/courses/cyber-hygiene").status_code == 404
    login(make_user())
    assert client.get("/courses/cyber-hygiene/passwords").status_code == 404


@pytest.mark.parametrize("role, editor, status", [("staff", False, 200), ("admin", False, 200),
                                                  ("trainer", True, 200), ("trainer", False, 404)])
def test_unpublished_course_is_visible_to_its_editors_and_staff(client, courses, make_user, login, role, editor,
                                                                status):
    """Staff and the course's own trainers can still open an unpublished course; other trainers cannot."""
    course = _unpublish("cyber-hygiene")
    user = make_user(role=role)
    if editor:
        db.session.add(CourseEditor(course_id=course.id, user_id=user.id))
        db.session.commit()
    login(user)
    response = client.get("/courses/cyber-hygiene")
    assert response.status_code == status
    if status == 200:
        assert "This course is not published" in response.get_data(as_text=True)


def test_registered_only_course_asks_visitors_to_sign_in(app, client, tmp_path, make_user, login):
    """With access: registered, lessons need an account; the course page stays public."""
    front = packages.COURSE_MD.replace("hours: 2\n", "hours: 2\naccess: registered\n")
    importer.import_packages([read_folder(packages.write_folder(tmp_path, "internal",
                                                                 packages.files(course_dot_md=front)))])
    db.session.commit()
    assert client.get("/courses/internal").status_code == 200
    response = client.get("/courses/internal/passwords")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    login(make_user())
    assert client.get("/courses/internal/passwords").status_code == 200


@pytest.mark.parametrize("path, limit", [
    ("/", 2), ("/courses/cyber-hygiene", 5), ("/courses/cyber-hygiene/passwords", 4)])
def test_content_pages_use_few_queries(app, client, courses, path, limit):
    """Catalogue, course and lesson pages make a small, fixed number of queries."""
    with count_queries(app.extensions["sqlalchemy"].engine) as counter:
        assert client.get(path).status_code == 200
    assert counter.count <= limit, counter.statements


def test_lesson_html_is_not_rendered_per_request(app, client, courses, monkeypatch):
    """Lesson pages serve stored HTML: Markdown rendering is never called by a page."""
    import app.content.rendering as rendering

    def fail(*args, **kwargs):
        raise AssertionError("Markdown rendered during a request")

    monkeypatch.setattr(rendering, "render_markdown", fail)
    monkeypatch.setattr(importer, "render_markdown", fail)
    assert client.get("/courses/cyber-hygiene/passwords").status_code == 200
