"""Retention: learners' accounts unused for the configured months are erased after an e-mailed notice."""

from datetime import datetime, timedelta

import pytest

from app.accounts import retention
from app.accounts.models import User
from app.accounts.settings import retention_months, set_retention_months
from app.extensions import db
from app.timeutil import utcnow
from tests.helpers import mail_text, submit

START = datetime(2026, 1, 10, 9, 0)


def _learner(make_user, last_login=START, **fields):
    user = make_user(**fields)
    user.created_at = START - timedelta(days=400)
    user.last_login_at = last_login
    db.session.commit()
    return user


def _run(now, months=12):
    result = retention.purge_inactive(now=now, months=months)
    db.session.commit()
    return result


def test_notice_then_erasure_thirty_days_later(app, make_user, outbox):
    """At (12 months − 30 days) the learner is e-mailed the date; 30 days later the account is erased."""
    user = _learner(make_user, language="en")
    assert _run(START + timedelta(days=300)).noticed == 0  # not yet
    notice_day = retention.months_before(START, -12) - timedelta(days=30)
    result = _run(notice_day + timedelta(hours=1))
    assert (result.noticed, result.erased) == (1, 0) and len(outbox) == 1
    body = mail_text(outbox[0])
    assert outbox[0]["To"].addresses[0].addr_spec == user.email
    assert "will be erased on January 10, 2027 unless you sign in" in body
    assert "http://academy.test/account/login" in body and "http://academy.test/privacy" in body
    assert _run(notice_day + timedelta(days=10)).noticed == 0 and len(outbox) == 1  # told once
    assert _run(notice_day + timedelta(days=29)).erased == 0
    assert _run(notice_day + timedelta(days=30, hours=2)).erased == 1
    db.session.expire_all()
    assert db.session.get(User, user.id).is_erased


def test_notice_is_in_the_learners_language(app, make_user, outbox):
    """A Bulgarian learner reads the notice in Bulgarian."""
    _learner(make_user, language="bg")
    _run(START + timedelta(days=400))
    assert "Профилът ви ще бъде изтрит на" in mail_text(outbox[0])
    assert str(outbox[0]["Subject"]) == "Профилът ви ще бъде изтрит, ако не влезете"


def test_signing_in_after_the_notice_keeps_the_account(app, client, make_user, login, outbox):
    """A learner who signs in after the notice is not erased; a later period of inactivity starts over."""
    now = utcnow()
    user = _learner(make_user, last_login=now - timedelta(days=400))
    assert _run(now - timedelta(days=1)).noticed == 1
    login(user)  # signs in after the notice
    result = _run(now + timedelta(days=40))
    assert (result.erased, result.noticed) == (0, 0)
    db.session.expire_all()
    assert not db.session.get(User, user.id).is_erased
    assert _run(now + timedelta(days=340)).noticed == 1 and len(outbox) == 2  # inactive again: told again


def test_staff_trainers_and_admins_are_never_purged(app, make_user, outbox):
    """Only learners' accounts are purged automatically; staff, trainers and admins are kept."""
    for role in ("trainer", "staff", "admin"):
        _learner(make_user, role=role)
    assert _run(START + timedelta(days=340)).noticed == 0
    assert _run(START + timedelta(days=800)).erased == 0 and not outbox


def test_nothing_happens_without_a_retention_period(app, make_user, runner, outbox):
    """With no period set, the command says so and keeps every account."""
    _learner(make_user)
    result = runner.invoke(args=["accounts", "purge-inactive"])
    assert result.exit_code == 0 and "No retention period is set" in result.output
    assert not outbox


def test_cli_sends_the_notices(app, make_user, runner, outbox):
    """`flask accounts purge-inactive` (cron) sends the notices for the configured period."""
    user = _learner(make_user, last_login=datetime(2020, 1, 1))
    set_retention_months(24)
    db.session.commit()
    result = runner.invoke(args=["accounts", "purge-inactive"])
    assert result.exit_code == 0, result.output
    assert "Erased 0 inactive accounts; sent 1 notices." in result.output and len(outbox) == 1
    db.session.expire_all()
    assert db.session.get(User, user.id).erasure_notice_at is not None


def test_a_notice_that_cannot_be_sent_is_tried_again(app, app_config, make_user, runner, outbox):
    """When the mail server is down, no notice is recorded, so nobody is erased without one."""
    user = _learner(make_user, last_login=datetime(2020, 1, 1))
    set_retention_months(24)
    app.config["MAIL_PORT"] = 1  # nothing listens there
    db.session.commit()
    result = runner.invoke(args=["accounts", "purge-inactive"])
    assert result.exit_code != 0 and "1 notices could not be sent" in result.output
    db.session.expire_all()
    assert db.session.get(User, user.id).erasure_notice_at is None


def test_admin_sets_the_retention_period(client, make_user, login):
    """An admin sets the months on the site settings page; empty means keep."""
    login(make_user(role="admin"))
    page = client.get("/staff/settings").get_data(as_text=True)
    assert 'name="retention_months"' in page
    response = submit(client, "/staff/settings", {"mode": "open", "retention_months": "24"})
    assert response.status_code == 302 and retention_months() == 24
    submit(client, "/staff/settings", {"mode": "open", "retention_months": ""})
    assert retention_months() == 0


@pytest.mark.parametrize("value", ["abc", "-1", "2", "121", "12.5", "١٢", "24; DROP TABLE users", "9" * 500,
                                   "<script>alert(1)</script>"])
def test_hostile_retention_values_are_refused(client, make_user, login, value):
    """Anything but 0 or 3–120 months gets a clear message, keeps what was typed and stores nothing."""
    login(make_user(role="admin"))
    set_retention_months(36)
    db.session.commit()
    response = submit(client, "/staff/settings", {"mode": "open", "retention_months": value})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Enter 0, or a whole number of months from 3 to 120." in page
    assert "<script>alert(1)</script>" not in page
    db.session.expire_all()
    assert retention_months() == 36


def test_settings_page_uses_few_queries(app, client, make_user, login):
    """The settings page with the retention field costs a fixed, small number of queries."""
    from tests.helpers import count_queries

    login(make_user(role="admin"))
    with count_queries(db.engine) as counter:
        client.get("/staff/settings")
    assert counter.count <= 3, counter.statements
