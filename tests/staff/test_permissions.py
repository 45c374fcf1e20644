"""Every staff page, discovered from the URL map so new ones are covered: anonymous visitors are sent to
sign in, learners and trainers get 403 for GET and POST, staff get in (admin-only pages: admins only)."""

import pytest

from tests.helpers import submit

ADMIN_ONLY = {"staff.settings", "staff.change_role", "skills.needs_settings"}
SAMPLE_VALUES = {"table": "course", "fmt": "csv"}


def _staff_rules(app):
    rules = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/staff/") or rule.rule == "/staff":
            values = {name: SAMPLE_VALUES.get(name, 1) for name in rule.arguments}
            url = app.url_map.bind("localhost").build(rule.endpoint, values)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                rules.append((rule.endpoint, method, url))
    return rules


def test_discovery_finds_the_staff_tools(app):
    endpoints = {endpoint for endpoint, _method, _url in _staff_rules(app)}
    for expected in ("staff.overview", "staff.reports", "staff.people", "staff.audit_log", "cohorts.index",
                     "cohorts.upload", "cohorts.preview", "staff.organisations", "staff.certificates"):
        assert expected in endpoints


def test_anonymous_visitors_are_sent_to_sign_in(app, client):
    for endpoint, method, url in _staff_rules(app):
        response = client.open(url, method=method)
        if method == "GET":
            assert response.status_code == 302 and "/account/login" in response.headers["Location"], endpoint
        else:  # without a CSRF token a POST never gets as far as the view
            assert response.status_code in (302, 400), (endpoint, response.status_code)


@pytest.mark.parametrize("role", ["learner", "trainer"])
def test_learners_and_trainers_get_403_everywhere(app, make_user, role):
    client = app.test_client()
    submit(client, "/account/login", {"email": make_user(role=role).email, "password": "correct horse battery"})
    page = client.get("/dashboard").get_data(as_text=True)
    from tests.helpers import csrf_token_from

    token = csrf_token_from(page)
    for endpoint, method, url in _staff_rules(app):
        data = {"csrf_token": token} if method == "POST" else None
        response = client.open(url, method=method, data=data)
        assert response.status_code == 403, (endpoint, method, response.status_code)


def test_staff_reach_every_staff_page_but_not_admin_ones(app, make_user):
    client = app.test_client()
    submit(client, "/account/login", {"email": make_user(role="staff").email, "password": "correct horse battery"})
    for endpoint, method, url in _staff_rules(app):
        if method != "GET":
            continue
        status = client.get(url).status_code
        if endpoint in ADMIN_ONLY:
            assert status in (403, 405), endpoint
        else:
            assert status != 403, endpoint
