"""Scoring: a level per competence from the ratings, gaps against the target, and the courses recommended."""

import pytest

from app.skills import scoring
from app.skills.recommendations import recommend
from tests.skills.checks import ratings

DEFINITION = {
    "scale": [{"label": str(n), "explanation": ""} for n in range(1, 5)],
    "target": 3,
    "areas": [
        {"id": "1", "name": "Info", "competences": [
            {"id": "1.2", "name": "Evaluating", "courses": [],
             "statements": [{"key": "1.2-1", "text": "a"}, {"key": "1.2-2", "text": "b"}]}]},
        {"id": "4", "name": "Safety", "competences": [
            {"id": "4.1", "name": "Devices", "courses": [], "statements": [{"key": "4.1-1", "text": "c"}]},
            {"id": "4.2", "name": "Data", "courses": [], "statements": [{"key": "4.2-1", "text": "d"}]}]},
    ],
}


def test_level_is_the_average_of_the_competence_ratings(bare_app):
    """A learner's level in a competence is the mean of their answers to its statements."""
    answers, errors = scoring.read_answers(DEFINITION, {"s-1.2-1": "2", "s-1.2-2": "3", "s-4.1-1": "4", "s-4.2-1": "1"})
    assert errors == {}
    assert scoring.levels(DEFINITION, answers) == {"1.2": 2.5, "4.1": 4.0, "4.2": 1.0}


def test_gaps_are_below_target_lowest_first(bare_app):
    """Competences under the target come first in the order of need; at the target is not a gap."""
    assert scoring.below_target({"1.2": 2.5, "4.1": 3.0, "4.2": 1.0}, 3) == ["4.2", "1.2"]
    areas = scoring.profile(DEFINITION, {"1.2": 2.5, "4.1": 3.0, "4.2": 1.0}, 3)
    rows = {row.id: row for area in areas for row in area["competences"]}
    assert rows["1.2"].below and rows["1.2"].nearest == 3 and not rows["4.1"].below


@pytest.mark.parametrize("form, message", [
    ({}, "Choose an answer for this statement."),
    ({"s-1.2-1": "5"}, "Choose one of the answers offered."),
    ({"s-1.2-1": "0"}, "Choose one of the answers offered."),
    ({"s-1.2-1": "-1"}, "Choose one of the answers offered."),
    ({"s-1.2-1": "2.5"}, "Choose one of the answers offered."),
    ({"s-1.2-1": "٣"}, "Choose one of the answers offered."),
    ({"s-1.2-1": "9" * 5000}, "Choose one of the answers offered."),
])
def test_bad_ratings_are_errors_not_crashes(bare_app, form, message):
    """Missing, out-of-range and non-numeric ratings each give a clear error for that statement."""
    _answers, errors = scoring.read_answers(DEFINITION, form)
    assert str(errors["1.2-1"]) == message


def test_unknown_statements_are_ignored(bare_app):
    """Fields that are not statements of this check are never read or stored."""
    form = {f"s-{key}": "3" for key in ("1.2-1", "1.2-2", "4.1-1", "4.2-1")} | {"s-9.9-1": "4", "admin": "1"}
    answers, errors = scoring.read_answers(DEFINITION, form)
    assert errors == {} and set(answers) == {"1.2-1", "1.2-2", "4.1-1", "4.2-1"}


def test_retake_change_is_up_down_or_same(bare_app):
    """Against the previous result each competence is marked up, down or the same."""
    areas = scoring.profile(DEFINITION, {"1.2": 3.0, "4.1": 2.0, "4.2": 1.0}, 3,
                            previous={"1.2": 2.0, "4.1": 3.0, "4.2": 1.0})
    changes = {row.id: row.change for area in areas for row in area["competences"]}
    assert changes == {"1.2": "up", "4.1": "down", "4.2": "same"}


def test_recommendations_follow_courses_lines_and_competence_tags(shipped):
    """Gaps in 4.2 (tags) and 2.6 (Courses: line) recommend the data protection and cyber hygiene courses."""
    check = shipped["skills-check-public-servants"]
    slugs = [item.course.slug for item in recommend(check, ["4.2", "2.6"], "en")]
    assert slugs[0] in ("data-protection", "cyber-hygiene") and set(slugs) == {"data-protection", "cyber-hygiene"}
    assert recommend(check, [], "en") == []


def test_recommendations_come_in_the_learners_language(shipped):
    """A Bulgarian reader of the English check is offered the Bulgarian translations of the courses."""
    check = shipped["skills-check-public-servants"]
    slugs = {item.course.slug for item in recommend(check, ["4.2", "2.6", "1.3"], "bg")}
    assert slugs == {"zashtita-na-danni", "kiberhigiena", "otvoreni-uslugi"}


def test_every_gap_in_the_shipped_check_has_a_shipped_course(shipped):
    """Whatever competence is low, the shipped check points to a shipped course, in both languages."""
    for slug, language in (("skills-check-public-servants", "en"), ("proverka-na-umeniyata", "bg")):
        check = shipped[slug]
        for comp in check.competences():
            assert recommend(check, [comp["id"]], language), (slug, comp["id"])


def test_ratings_helper_covers_the_check(quick_check):
    """The test helper answers every statement (so the other tests post complete forms)."""
    answers, errors = scoring.read_answers(quick_check.definition, ratings(quick_check))
    assert errors == {} and len(answers) == quick_check.statement_count() == 4
