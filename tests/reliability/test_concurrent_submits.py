"""Claim: ten simultaneous submits of one attempt grade it once, complete the course once, certify once."""

from tests.helpers import csrf_token_from, run_concurrently
from tests.reliability.steps import outcome, save_right_answers, start_attempt


def test_ten_concurrent_submits_grade_once(app, client, learner):
    """Fault: ten submits of one attempt race (double clicks, tabs, retries; ASVS V2 Validation and Business
    Logic). Expected: every request ends in the review, the attempt is graded once, the course completed once
    and at most one certificate exists."""
    attempt_id = start_attempt(client)
    save_right_answers(client, attempt_id)
    token = csrf_token_from(client.get(f"/attempts/{attempt_id}/check").get_data(as_text=True))
    cookie = client.get_cookie("session").value

    def submit_in_another_tab():
        tab = app.test_client()
        tab.set_cookie("session", cookie)
        return tab.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token}).status_code

    statuses, errors = run_concurrently(app, 10, submit_in_another_tab)
    assert errors == [] and statuses == [302] * 10
    assert outcome(learner.id) == {"states": ["submitted"], "scores": [100.0], "answers": [{"0": 1}],
                                   "completions": 1, "certificates": 1}
