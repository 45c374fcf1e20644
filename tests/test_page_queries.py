"""Each page costs a small, fixed number of database queries, signed in or not."""

import pytest

from tests.helpers import count_queries

ANONYMOUS_PAGES = ["/", "/account/login", "/account/register", "/account/reset", "/healthz", "/no-such-page",
                   "/privacy"]
SIGNED_IN_PAGES = [("learner", "/"), ("learner", "/account/profile"), ("learner", "/account/password"),
                   ("learner", "/account/erase"), ("admin", "/privacy"),
                   ("admin", "/staff/settings"), ("learner", "/no-such-page")]


@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_anonymous_pages_use_few_queries(app, client, path, organisation):
    """Pages for visitors make at most two queries (the register form lists organisations)."""
    with count_queries(app.extensions["sqlalchemy"].engine) as counter:
        client.get(path)
    assert counter.count <= 2, counter.statements


@pytest.mark.parametrize("role, path", SIGNED_IN_PAGES)
def test_signed_in_pages_use_few_queries(app, client, make_user, login, role, path, organisation):
    """For a signed-in user, one query loads session and user together; pages add at most two."""
    login(make_user(role=role, organisation=organisation))
    with count_queries(app.extensions["sqlalchemy"].engine) as counter:
        client.get(path)
    assert counter.count <= 3, counter.statements
