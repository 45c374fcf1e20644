"""A web worker that gets killed while grading: run as a child process by test_killed_worker.py.

    python -m tests.reliability.grading_worker DATABASE_URL EMAIL PASSWORD ATTEMPT_ID

It signs in, saves the right answer and submits the attempt through the app's own request handling,
against the same database as the test. Just before the submit's transaction commits — the attempt graded,
the course completed, the certificate issued, all flushed but not committed — it prints what its
transaction holds as one JSON line and waits on its standard input for a kill that never lets it finish.
"""

import json
import sys

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from app import create_app
from app.certificates.models import Certificate
from app.learning.models import Completion
from app.quizzes.models import Attempt
from tests.helpers import submit


def _pause_before_commit_of_grading(attempt_id):
    """Stop the process inside the grading transaction, once that transaction has graded the attempt."""

    def before_commit(session):
        if session.in_nested_transaction():
            return  # a savepoint inside the request (the completion's, the certificate's), not its commit
        state = session.scalar(select(Attempt.state).where(Attempt.id == attempt_id))
        if state == "in_progress":
            return  # signing in and saving answers commit normally
        held = {
            "state": state,
            "completions": session.scalar(select(func.count()).select_from(Completion)),
            "certificates": session.scalar(select(func.count()).select_from(Certificate)),
        }
        print(json.dumps(held), flush=True)
        sys.stdin.readline()  # the test kills us here; reaching the next line would be a failure
        raise SystemExit("the grading worker was not killed")

    event.listen(Session, "before_commit", before_commit)


def main(database_url, email, password, attempt_id):
    """Sign in, save the right answer, submit; pauses before the submit commits."""
    attempt_id = int(attempt_id)
    app = create_app({"ACADEMY_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url})
    client = app.test_client()
    response = submit(client, "/account/login", {"email": email, "password": password})
    assert response.status_code == 302, "the worker could not sign in"
    page = f"/attempts/{attempt_id}"
    response = submit(client, f"{page}/save", {"q0": "1", "revision": "0"}, page=page)
    assert response.status_code == 302, "the worker could not save the answers"
    _pause_before_commit_of_grading(attempt_id)
    submit(client, f"{page}/submit", {}, page=f"{page}/check")


if __name__ == "__main__":
    main(*sys.argv[1:])
