"""Who may call the API: every endpoint refuses missing, bad and revoked tokens, and non-staff owners."""

import pytest

from app.accounts import api_tokens
from app.extensions import db
from tests.api.conftest import API, PROTECTED, bearer

ENROLMENT = {"email": "learner@example.bg", "course": "cyber-hygiene"}


@pytest.fixture
def call(client, make_cohort):
    """call(method, path, headers): one request to an endpoint, with a real cohort id and a valid body."""
    cohort = make_cohort("Plovdiv, March")

    def do(method, path, headers=None):
        url = API + path.format(cohort=cohort.id)
        if method == "POST":
            return client.post(url, json=ENROLMENT, headers=headers or {})
        return client.get(url, headers=headers or {})

    return do


def _assert_error(response, status):
    assert response.status_code == status
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["status"] == status and error["message"]
    return error


def test_every_protected_route_is_covered_here(app):
    """A new API route cannot slip past these permission tests."""
    routes = {(method, rule.rule.removeprefix(API).replace("<int:cohort_id>", "{cohort}"))
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes - {("GET", "/openapi.json")} == set(PROTECTED)


@pytest.mark.parametrize("method, path", PROTECTED)
@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer ", "Basic c3RhZmY6cGFzcw==", "Token c4a_abc"])
def test_no_token_is_401(call, method, path, header):
    """Without a bearer token: 401 with a Bearer challenge and a JSON message."""
    response = call(method, path, {"Authorization": header} if header is not None else {})
    error = _assert_error(response, 401)
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    assert "Authorization: Bearer" in error["message"]


@pytest.mark.parametrize("method, path", PROTECTED)
@pytest.mark.parametrize("secret", ["c4a_" + "A" * 40, "not-a-token", "c4a_" + "é" * 40])
def test_bad_token_is_401(call, method, path, secret):
    """An unknown token: 401 with error="invalid_token"."""
    response = call(method, path, bearer(secret))
    _assert_error(response, 401)
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api", error="invalid_token"'


@pytest.mark.parametrize("method, path", PROTECTED)
def test_revoked_token_is_401(call, staff, write_secret, method, path):
    """A revoked token is refused like an unknown one."""
    [token] = api_tokens.of_user(staff)
    api_tokens.revoke(token, by=staff)
    db.session.commit()
    _assert_error(call(method, path, bearer(write_secret)), 401)


@pytest.mark.parametrize("method, path", PROTECTED)
def test_token_of_a_deactivated_account_is_401(call, staff, write_secret, method, path):
    """A token dies with its owner's account."""
    staff.active = False
    db.session.commit()
    _assert_error(call(method, path, bearer(write_secret)), 401)


@pytest.mark.parametrize("method, path", PROTECTED)
@pytest.mark.parametrize("role", ["learner", "trainer"])
def test_token_of_a_learner_or_trainer_is_403(call, make_user, slip_token, method, path, role):
    """A token that somehow belongs to a learner or trainer may not use the API."""
    secret = slip_token(make_user(role=role))
    error = _assert_error(call(method, path, bearer(secret)), 403)
    assert "not hub staff" in error["message"]


@pytest.mark.parametrize("method, path", PROTECTED)
def test_token_of_someone_no_longer_staff_is_403(call, staff, write_secret, method, path):
    """Staff moved to another role lose the API with their old tokens."""
    staff.role = "trainer"
    db.session.commit()
    _assert_error(call(method, path, bearer(write_secret)), 403)


def test_read_only_token_cannot_enrol(call, read_secret):
    """A read-only token gets 403 (insufficient_scope) on a write, and can still read."""
    response = call("POST", "/enrolments", bearer(read_secret))
    error = _assert_error(response, 403)
    assert "read-only" in error["message"]
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api", error="insufficient_scope"'
    assert call("GET", "/enrolments", bearer(read_secret)).status_code == 200


def test_admin_tokens_work(call, make_user):
    """Admins hold every role, so their tokens may read and write."""
    _token, secret = api_tokens.create(make_user(role="admin"), "admin tool", "write")
    db.session.commit()
    assert call("GET", "/courses", bearer(secret)).status_code == 200
    assert call("POST", "/enrolments", bearer(secret)).status_code == 404  # no such learner yet


def test_session_cookie_is_not_a_token(client, staff, login):
    """Signed in through the website, the API still wants a token (cookies are never enough)."""
    login(staff)
    assert client.get(f"{API}/courses").status_code == 401
    assert client.post(f"{API}/enrolments", json=ENROLMENT).status_code == 401


def test_the_openapi_document_is_public(client):
    """Anyone can read the API's description."""
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200 and response.get_json()["openapi"] == "3.1.0"
