"""Taking a skills check: anyone can, nothing is stored unless a signed-in learner keeps the result."""

import re

from app.extensions import db
from app.skills.models import SkillsResult
from tests.helpers import count_queries, csrf_token_from, submit
from tests.skills.checks import ratings


def row_counts():
    """The number of rows in every table of the schema."""
    return {table.name: db.session.scalar(db.select(db.func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def answers_token(html):
    match = re.search(r'<input[^>]*name="answers"[^>]*>', html)
    assert match, "no answers token on the page"
    return re.search(r'value="([^"]+)"', match.group(0)).group(1)


def take(client, check, **overrides):
    """Post a complete set of ratings like a browser would; returns the response."""
    return submit(client, f"/skills/{check.slug}", ratings(check, **overrides))


def test_anyone_can_take_a_check_and_nothing_is_stored(quick_check, client):
    """A visitor without an account sees their profile; no row is written anywhere and the session holds no answers."""
    before = row_counts()
    response = take(client, quick_check)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Your result" in html and "Nothing has been stored" in html and "Sign in to keep this result" in html
    assert row_counts() == before
    with client.session_transaction() as session:
        assert set(session) <= {"csrf_token", "_fresh"}  # Flask-WTF's token and Flask-Login's flag, no answers


def test_result_shows_profile_chart_table_and_recommended_course(quick_check, client):
    """Low ratings in 4.1 show as below target in the chart and table, and recommend the course."""
    html = take(client, quick_check, **{"4_1": 1}).get_data(as_text=True)
    assert '<svg class="chart" role="img"' in html and "<desc" in html
    assert "4.1 Protecting devices" in html and "1 – below target" in html
    assert "Below target" in html and "I have never done this" in html
    assert "/courses/cyber-hygiene" in html and "Sign in to enrol" in html


def test_visitor_keeps_the_result_after_signing_in(quick_check, client, make_user, login):
    """"Sign in to keep": the signed answers wait in the session, and the learner keeps them after signing in."""
    user = make_user()
    token = answers_token(take(client, quick_check).get_data(as_text=True))
    response = submit(client, "/skills/quick-check/keep", {"answers": token}, page="/skills/quick-check")
    assert response.status_code == 302 and "/account/login" in response.location
    assert response.location.endswith("next=/skills/quick-check/pending")
    assert db.session.scalar(db.select(db.func.count()).select_from(SkillsResult)) == 0
    login(user)
    page = client.get("/skills/quick-check/pending")
    assert page.status_code == 200 and "Keep this result" in page.get_data(as_text=True)
    html = page.get_data(as_text=True)
    kept = client.post("/skills/quick-check/keep",
                       data={"csrf_token": csrf_token_from(html), "answers": answers_token(html)})
    result = db.session.scalar(db.select(SkillsResult))
    assert kept.status_code == 302 and kept.location.endswith(f"/skills/results/{result.id}")
    assert result.user_id == user.id and result.levels == {"1.2": 2.0, "4.1": 2.0}
    with client.session_transaction() as session:
        assert "skills_pending" not in session


def test_signed_in_learner_keeps_only_when_asked(quick_check, client, make_user, login):
    """Taking the check signed in stores nothing until the learner presses "Keep this result"."""
    login(make_user())
    html = take(client, quick_check).get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(SkillsResult)) == 0
    response = submit(client, "/skills/quick-check/keep", {"answers": answers_token(html)}, page="/skills/quick-check")
    assert response.status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(SkillsResult)) == 1
    page = client.get(response.location).get_data(as_text=True)
    assert "Only you can see this result" in page


def _keep(client, check, **overrides):
    html = take(client, check, **overrides).get_data(as_text=True)
    return submit(client, f"/skills/{check.slug}/keep", {"answers": answers_token(html)}, page=f"/skills/{check.slug}")


def test_retake_shows_the_change_since_last_time(quick_check, client, make_user, login):
    """A second kept result shows per competence whether it went up, down or stayed the same."""
    login(make_user())
    _keep(client, quick_check, **{"1_2": 3, "4_1": 2})
    retake = take(client, quick_check, **{"1_2": 3, "4_1": 4}).get_data(as_text=True)
    assert "Up from 2" in retake and "Same as last time" in retake
    second = _keep(client, quick_check, **{"1_2": 2, "4_1": 4})
    page = client.get(second.location).get_data(as_text=True)
    assert "Up from 2" in page and "Down from 3" in page
    first_id = db.session.scalar(db.select(db.func.min(SkillsResult.id)))
    first = client.get(f"/skills/results/{first_id}").get_data(as_text=True)
    assert "Since last time" not in first


def test_individual_results_are_only_for_their_learner(quick_check, app, client, make_user, login):
    """ASVS V8.2.2: another learner, a trainer, staff and an admin get 404 for someone's result; visitors sign in."""
    login(make_user(email="owner@example.bg"))
    location = _keep(client, quick_check).location
    path = location[location.index("/skills/results/"):]
    assert client.get(path).status_code == 200
    for role in ("learner", "trainer", "staff", "admin"):
        other = app.test_client()
        other_user = make_user(role=role)
        submit(other, "/account/login", {"email": other_user.email, "password": "correct horse battery"})
        assert other.get(path).status_code == 404, role
    assert app.test_client().get(path).status_code == 302


def test_missing_and_bad_answers_keep_what_was_chosen(quick_check, client):
    """Missing or out-of-range ratings give an error summary linking to each statement; chosen answers stay."""
    data = ratings(quick_check)
    data.pop("s-4.1-2")
    data["s-1.2-1"] = "9"
    data["s-9.9-9"] = "1"  # not a statement of this check: ignored
    response = submit(client, "/skills/quick-check", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in html
    assert 'href="#statement-4-1-2-1"' in html and "Choose an answer for this statement." in html
    assert "Choose one of the answers offered." in html
    assert re.search(r'id="statement-4-1-1-2"[^>]*checked', html)
    assert "Your result" not in html


def test_expired_form_keeps_the_answers(quick_check, client):
    """A post without a valid CSRF token is refused with 400, the answers still on the page."""
    response = client.post("/skills/quick-check", data=ratings(quick_check, value=3))
    assert response.status_code == 400
    assert re.search(r'id="statement-1-2-1-3"[^>]*checked', response.get_data(as_text=True))


def test_huge_posts_are_refused_and_store_nothing(quick_check, client, make_user, login):
    """ASVS V4 (API and web service): thousands of unknown fields are ignored, 2 MB gets 413, nothing is written."""
    login(make_user())
    before = row_counts()
    token = csrf_token_from(client.get("/skills/quick-check").get_data(as_text=True))
    many = {"csrf_token": token, **{f"s-{n}": "1" for n in range(5000)}}
    response = client.post("/skills/quick-check", data=many)
    assert response.status_code == 200 and "There is a problem" in response.get_data(as_text=True)
    big = {"csrf_token": token, **ratings(quick_check), "s-1.2-1": "1" * 2_000_000}
    assert client.post("/skills/quick-check", data=big).status_code == 413
    huge_token = {"csrf_token": token, "answers": "x" * 2_000_000}
    assert client.post("/skills/quick-check/keep", data=huge_token).status_code == 413
    assert row_counts() == before


def test_forged_or_stale_answers_are_not_kept(quick_check, client, make_user, login, runner, tmp_path):
    """ASVS V11 (cryptography): a tampered token, one for another check or for an older version is refused."""
    login(make_user())
    token = answers_token(take(client, quick_check).get_data(as_text=True))
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = submit(client, "/skills/quick-check/keep", {"answers": tampered}, page="/skills/quick-check",
                      follow_redirects=True)
    assert "This result has expired" in response.get_data(as_text=True)
    folder = tmp_path / "quick-check"
    folder.mkdir()
    (folder / "course.md").write_text(quick_check.source.replace("I install updates.", "I update."), encoding="utf-8")
    assert runner.invoke(args=["courses", "import", str(folder)]).exit_code == 0
    response = submit(client, "/skills/quick-check/keep", {"answers": token}, page="/skills/quick-check",
                      follow_redirects=True)
    assert "The skills check has changed since you took it" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(SkillsResult)) == 0


def test_pending_without_a_result_goes_back_to_the_check(quick_check, client, make_user, login):
    """Opening the keep page with nothing waiting explains it and offers the check."""
    login(make_user())
    response = client.get("/skills/quick-check/pending")
    assert response.status_code == 302 and response.location.endswith("/skills/quick-check")
    assert client.get("/skills/no-such-check").status_code == 404


def test_unpublished_check_is_not_found(quick_check, client):
    """A check imported as a draft is not offered to anybody."""
    quick_check.published = False
    db.session.commit()
    assert client.get("/skills/quick-check").status_code == 404
    assert "Quick check" not in client.get("/skills").get_data(as_text=True)


def test_one_click_enrolment_from_the_result(quick_check, client, make_user, login):
    """A signed-in learner enrols on a recommended course with one button (CSRF-protected POST)."""
    from app.learning.models import Enrolment

    login(make_user())
    html = take(client, quick_check, **{"4_1": 1}).get_data(as_text=True)
    assert 'action="/courses/cyber-hygiene/enrol"' in html
    token = re.search(r'<form method="post" action="/courses/cyber-hygiene/enrol">\s*<input[^>]*value="([^"]+)"',
                      html).group(1)
    response = client.post("/courses/cyber-hygiene/enrol", data={"csrf_token": token})
    assert response.status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(Enrolment)) == 1
    again = take(client, quick_check, **{"4_1": 1}).get_data(as_text=True)
    assert "Continue the course" in again


def test_list_and_dashboard_lead_to_the_check(quick_check, client, make_user, login):
    """The check is listed at /skills, linked from the navigation, the catalogue and the dashboard."""
    assert "/skills/quick-check" in client.get("/skills").get_data(as_text=True)
    assert 'href="/skills"' in client.get("/").get_data(as_text=True)
    login(make_user())
    assert 'href="/skills"' in client.get("/dashboard").get_data(as_text=True)


def _queries(app, action):
    with count_queries(app.extensions["sqlalchemy"].engine) as counter:
        action()
    return counter.count


def test_pages_use_a_bounded_number_of_queries(quick_check, app, client, make_user, login):
    """The list, the form, a fresh result and a kept result cost a few queries, however many results exist."""
    login(make_user())
    form_page = "/skills/quick-check"
    _keep(client, quick_check)
    token = csrf_token_from(client.get(form_page).get_data(as_text=True))
    data = {"csrf_token": token, **ratings(quick_check, value=1)}
    first = [_queries(app, lambda: client.get("/skills")), _queries(app, lambda: client.get(form_page)),
             _queries(app, lambda: client.post(form_page, data=data)),
             _queries(app, lambda: client.get("/skills/results/1"))]
    for _ in range(4):
        _keep(client, quick_check)
    later = [_queries(app, lambda: client.get("/skills")), _queries(app, lambda: client.get(form_page)),
             _queries(app, lambda: client.post(form_page, data=data)),
             _queries(app, lambda: client.get("/skills/results/1"))]
    assert first == later and max(later) <= 8, (first, later)
