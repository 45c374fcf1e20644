"""Throttling of failed sign-ins: strict per account, generous per address, successes free."""

from tests.conftest import PASSWORD
from tests.helpers import submit


def _fail(client, email, address="10.0.0.1"):
    return submit(client, "/account/login", {"email": email, "password": "wrong password!"},
                  environ_base={"REMOTE_ADDR": address})


def _succeed(client, user, address="10.0.0.1"):
    response = submit(client, "/account/login", {"email": user.email, "password": PASSWORD},
                      environ_base={"REMOTE_ADDR": address})
    submit(client, "/account/logout", {}, page="/account/profile")
    return response


def test_account_is_throttled_after_five_failures(app, client, make_user):
    """Guessing one person's password stops after five tries, even from many addresses."""
    user = make_user()
    statuses = [_fail(client, user.email, f"10.0.0.{n}").status_code for n in range(5)]
    assert statuses == [200] * 5
    response = submit(client, "/account/login", {"email": user.email, "password": PASSWORD},
                      environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) > 0


def test_throttling_hides_whether_the_account_exists(client):
    """An address that has no account is throttled exactly like one that has."""
    statuses = [_fail(client, "nobody@example.bg").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]


def test_successful_logins_behind_one_nat_address_are_never_throttled(app, client, make_user):
    """A whole municipality behind one address signs in all morning without being blocked."""
    app.config["LOGIN_FAILURES_PER_ADDRESS"] = "10 per 15 minutes"
    users = [make_user() for _ in range(15)]
    for user in users:
        assert _succeed(client, user, "192.0.2.10").status_code == 302


def test_many_failures_from_one_address_are_throttled(app, client, make_user):
    """One machine spraying passwords at many accounts is stopped by the per-address limit."""
    app.config["LOGIN_FAILURES_PER_ADDRESS"] = "10 per 15 minutes"
    statuses = [_fail(client, f"person{n}@example.bg", "203.0.113.5").status_code for n in range(11)]
    assert statuses[-1] == 429 and statuses[:10] == [200] * 10
    other_user = make_user()
    assert _succeed(client, other_user, "203.0.113.99").status_code == 302


def test_success_clears_the_account_counter(client, make_user):
    """Someone who mistyped four times and then got it right starts again from zero."""
    user = make_user()
    for _ in range(4):
        _fail(client, user.email)
    assert _succeed(client, user).status_code == 302
    for _ in range(4):
        assert _fail(client, user.email).status_code == 200


def test_spoofed_forwarded_for_does_not_change_the_address(app, client, make_user):
    """Without a configured proxy, X-Forwarded-For is ignored, so it cannot dodge the limit."""
    app.config["LOGIN_FAILURES_PER_ADDRESS"] = "3 per 15 minutes"
    statuses = [
        submit(client, "/account/login", {"email": f"p{n}@example.bg", "password": "wrong password!"},
               environ_base={"REMOTE_ADDR": "203.0.113.7"},
               headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


def test_sign_in_works_when_rate_limiting_is_switched_off(database_url, app_config, make_user):
    """A deployment with RATELIMIT_ENABLED=false still lets people sign in and reset passwords."""
    from app import create_app

    user = make_user()
    app = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False})
    client = app.test_client()
    assert submit(client, "/account/login", {"email": user.email, "password": "wrong password!"}).status_code == 200
    assert submit(client, "/account/login", {"email": user.email, "password": PASSWORD}).status_code == 302
    assert submit(app.test_client(), "/account/reset", {"email": user.email}).status_code == 200
