"""Claim: a worker killed between saving answers and grading leaves the attempt recoverable, never half-graded,
and never a certificate without a passing attempt."""

import json
import signal
import subprocess
import sys
from pathlib import Path

from tests.conftest import PASSWORD
from tests.helpers import submit
from tests.reliability.steps import outcome, start_attempt

ROOT = Path(__file__).resolve().parents[2]


def _worker(database_url, learner, attempt_id):
    return subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.grading_worker", database_url, learner.email, PASSWORD,
         str(attempt_id)],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def test_worker_killed_while_grading_leaves_the_attempt_recoverable(app, client, database_url, learner):
    """Fault: the worker process is SIGKILLed inside the submit's transaction, after grading, completing and
    issuing were written but before the commit (ASVS V2 Validation and Business Logic; V16 error handling).
    Expected: the attempt is still in progress with its saved answers and no score, there is no completion
    and no certificate; the learner's next submit grades it exactly once and certifies once."""
    attempt_id = start_attempt(client)
    worker = _worker(database_url, learner, attempt_id)
    try:
        line = worker.stdout.readline()
        assert line, f"the worker stopped early:\n{worker.stderr.read()}"
        # The worker was killed at the worst moment: everything was written, nothing committed.
        assert json.loads(line) == {"state": "submitted", "completions": 1, "certificates": 1}
        worker.send_signal(signal.SIGKILL)
    finally:
        worker.kill()
        worker.wait(timeout=60)
    assert worker.returncode == -signal.SIGKILL

    assert outcome(learner.id) == {"states": ["in_progress"], "scores": [None], "answers": [{"0": 1}],
                                   "completions": 0, "certificates": 0}
    page = f"/attempts/{attempt_id}"
    assert "correct-horse-battery-staple" in client.get(page).get_data(as_text=True)  # resumable
    response = submit(client, f"{page}/submit", {}, page=f"{page}/check")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{page}/review")
    assert submit(client, f"{page}/submit", {}, page=f"{page}/review").status_code == 302  # a retry: no-op
    assert outcome(learner.id) == {"states": ["submitted"], "scores": [100.0], "answers": [{"0": 1}],
                                   "completions": 1, "certificates": 1}
