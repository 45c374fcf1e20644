"""Kept skills check results are in the learner's data download and go with the account's erasure."""

import json

from app.extensions import db
from app.skills.models import SkillsResult
from tests.helpers import submit
from tests.skills.test_taking import _keep


def test_download_holds_the_kept_results(quick_check, client, make_user, login):
    """The data download lists each kept result with its levels and every answer."""
    login(make_user())
    _keep(client, quick_check, **{"1_2": 3, "4_1": 2})
    response = submit(client, "/account/profile/data", {}, page="/account/profile")
    [kept] = json.loads(response.data)["skills_checks"]
    assert kept["check"] == "quick-check" and kept["levels_by_competence"] and kept["answers"]


def test_erasure_deletes_the_kept_results(quick_check, client, make_user, login):
    """Erasing the account deletes the person's self-assessments; nothing else needs them."""
    user = make_user()
    login(user)
    _keep(client, quick_check)
    assert db.session.scalar(db.select(db.func.count(SkillsResult.id))) == 1
    submit(client, "/account/erase", {"password": "correct horse battery"})
    assert db.session.scalar(db.select(db.func.count(SkillsResult.id))) == 0
