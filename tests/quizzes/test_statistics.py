"""Item analysis (Moodle's quiz statistics): facility, SD, discrimination, distribution, CSV export."""

import math
import statistics

import pytest

from app.quizzes.statistics import QuestionStats, analyse, csv_rows


def row(user_id, number, percent, *items):
    """An attempt row; items are (q, fraction, points, response)."""
    return {"user_id": user_id, "number": number, "percent": percent,
            "items": [{"q": q, "fraction": f, "points": p, "response": r} for q, f, p, r in items]}


# Four learners, two 1-point questions: q0 single choice (right answer 1), q1 multiple response.
ROWS = [
    row(1, 1, 100.0, (0, 1, 1, 1), (1, 1, 1, [0, 2])),
    row(2, 1, 75.0, (1, 0.5, 1, [0]), (0, 1, 1, 1)),  # items in any order
    row(3, 1, 50.0, (0, 0, 1, 2), (1, 1, 1, [0, 2])),
    row(4, 1, 0.0, (0, 0, 1, None), (1, 0, 1, [1])),
]
TYPES = {0: "single", 1: "multiple"}


def test_facility_and_sd_as_percent_of_the_question():
    """Facility is the mean score as % of the question's points and SD its sample spread, as in Moodle."""
    q0, q1 = analyse(ROWS, TYPES).questions
    assert (q0.q, q0.attempts, q1.attempts) == (0, 4, 4)
    assert q0.facility == 50 and q0.sd == pytest.approx(100 * math.sqrt(1 / 3))  # 57.7
    assert q1.facility == 62.5 and q1.sd == pytest.approx(math.sqrt(6875 / 3))  # 47.9


def test_discrimination_correlates_with_the_rest_of_the_test():
    """Discrimination is 100 × Pearson r between the question and the rest of the test, by hand and by statistics."""
    q0, q1 = analyse(ROWS, TYPES).questions
    # q0 scores [1, 1, 0, 0] against rest [1, 0.5, 1, 0]: Sxy = 0.25, Sxx = 1, Syy = 0.6875
    assert q0.discrimination == pytest.approx(100 * 0.25 / math.sqrt(0.6875))  # 30.2
    assert q0.discrimination == pytest.approx(100 * statistics.correlation([1, 1, 0, 0], [1, 0.5, 1, 0]))
    assert q1.discrimination == pytest.approx(100 * statistics.correlation([1, 0.5, 1, 0], [1, 1, 0, 0]))


def test_negative_discrimination_flags_a_question_weak_learners_get_right():
    """A question the weaker learners answer right and the stronger ones miss gets a negative index."""
    rows = [row(1, 1, 66.7, (0, 0, 1, 0), (1, 1, 1, 0), (2, 1, 1, 0)),
            row(2, 1, 66.7, (0, 0, 1, 0), (1, 1, 1, 0), (2, 1, 1, 0)),
            row(3, 1, 33.3, (0, 1, 1, 1), (1, 0, 1, 1), (2, 0, 1, 1)),
            row(4, 1, 66.7, (0, 1, 1, 1), (1, 0, 1, 1), (2, 1, 1, 0))]
    q0 = analyse(rows, {0: "single", 1: "single", 2: "single"}).questions[0]
    assert q0.discrimination == pytest.approx(100 * -1.5 / math.sqrt(2.75))  # -90.5
    assert q0.discrimination == pytest.approx(100 * statistics.correlation([0, 0, 1, 1], [2, 2, 0, 1]))


def test_no_discrimination_without_spread_or_with_one_attempt():
    """A question everyone gets right, or a single attempt, gives no discrimination (None) rather than a crash."""
    rows = [row(1, 1, 100.0, (0, 1, 1, 0), (1, 1, 1, 0)), row(2, 1, 50.0, (0, 1, 1, 0), (1, 0, 1, 1))]
    q0, q1 = analyse(rows, {0: "single", 1: "single"}).questions
    assert (q0.facility, q0.sd, q0.discrimination) == (100, 0, None)
    assert q1.discrimination is None  # the rest of the test (q0) has no spread
    alone = analyse(rows[:1], {0: "single", 1: "single"})
    assert (alone.sd_percent, alone.questions[0].sd, alone.questions[0].discrimination) == (None, None, None)


def test_test_level_figures_and_distribution_with_100_in_last_bucket():
    """Mean, median, SD and the ten-bucket histogram; 100 % counts in 90–100 %, 50 % in 50–60 %."""
    stats = analyse(ROWS, TYPES)
    assert (stats.attempts, stats.mean_percent, stats.median_percent) == (4, 56.25, 62.5)
    assert stats.sd_percent == pytest.approx(statistics.stdev([100, 75, 50, 0]))
    assert stats.distribution == [1, 0, 0, 0, 0, 1, 0, 1, 0, 1]
    assert analyse([row(1, 1, 99.99), row(2, 1, 10.0), row(3, 1, 9.99)], {}).distribution == [1, 1] + [0] * 7 + [1]


def test_first_only_keeps_each_learners_first_attempt():
    """With first_only, a learner's retakes are ignored and only their lowest-numbered attempt counts."""
    rows = [row(1, 2, 100.0, (0, 1, 1, 1)), row(1, 1, 0.0, (0, 0, 1, 2)), row(2, 1, 100.0, (0, 1, 1, 1))]
    every, first = analyse(rows, {0: "single"}), analyse(rows, {0: "single"}, first_only=True)
    assert (every.attempts, every.mean_percent) == (3, pytest.approx(200 / 3))
    assert (first.attempts, first.mean_percent, first.questions[0].facility) == (2, 50, 50)
    assert first.questions[0].choice_counts == {1: 1, 2: 1}


def test_choice_counts_by_original_choice_and_not_answered():
    """Trainers see how often each original choice was picked and how many left the question blank."""
    q0, q1 = analyse(ROWS, TYPES).questions
    assert (q0.choice_counts, q0.not_answered) == ({1: 2, 2: 1}, 1)
    assert (q1.choice_counts, q1.not_answered) == ({0: 3, 1: 1, 2: 2}, 0)
    rows = [row(u, 1, 50.0, (0, f, 1, r)) for u, f, r in ((1, 1, "true"), (2, 0, "false"), (3, 1, "true"), (4, 0, ""))]
    tf = analyse(rows, {0: "true-false"}).questions[0]
    assert (tf.choice_counts, tf.not_answered, tf.type) == ({"false": 1, "true": 2}, 1, "true-false")
    empty = analyse([row(1, 1, 0.0, (0, 0, 1, []))], {0: "multiple"}).questions[0]
    assert (empty.choice_counts, empty.not_answered) == ({}, 1)


def test_ungraded_essays_count_as_attempts_but_not_in_facility():
    """An essay still waiting for a trainer is counted as attempted but left out of facility and discrimination."""
    rows = [row(1, 1, 50.0, (0, None, 2, "my essay"), (1, 1, 1, 0)),
            row(2, 1, 100.0, (0, 1, 2, "essay"), (1, 1, 1, 0)),
            row(3, 1, 0.0, (0, 0, 2, "  "), (1, 0, 1, 1)),
            row(4, 1, 33.3, (0, 0.5, 2, "text"), (1, 0, 1, 1))]
    essay, single = analyse(rows, {0: "essay", 1: "single"}).questions
    assert (essay.attempts, essay.not_answered, essay.choice_counts) == (4, 1, {})
    assert essay.facility == 50 and essay.sd == pytest.approx(statistics.stdev([100, 0, 50]))
    assert essay.discrimination == pytest.approx(100 * statistics.correlation([2, 0, 1], [1, 0, 0]))
    # the ungraded essay scores 0 in the rest of the test for q1, as in the attempt's total
    assert single.discrimination == pytest.approx(100 * statistics.correlation([1, 1, 0, 0], [0, 2, 0, 1]))


def test_descriptions_are_skipped():
    """Descriptions carry no points and get no statistics row."""
    rows = [row(1, 1, 100.0, (0, None, 0, None), (1, 1, 1, 0))]
    assert [s.q for s in analyse(rows, {0: "description", 1: "single"}).questions] == [1]


def test_empty_input_gives_blank_figures():
    """A quiz nobody has finished yet shows zeros and blanks instead of an error."""
    stats = analyse([], {0: "single", 1: "essay"})
    assert (stats.attempts, stats.mean_percent, stats.median_percent, stats.sd_percent) == (0, None, None, None)
    assert stats.distribution == [0] * 10
    assert stats.questions[0] == QuestionStats(q=0, type="single")
    essay = stats.questions[1]
    assert (essay.attempts, essay.facility, essay.sd, essay.discrimination) == (0, None, None, None)
    assert analyse([], {}).questions == []
    assert csv_rows(analyse([], {0: "single"}), {})[1] == ["1", "", "single", "0", "", "", "", "0"]


def test_csv_rows_round_and_neutralise_formulas():
    """The CSV export rounds to one decimal and a name like =HYPERLINK(...) cannot run in a spreadsheet."""
    rows = [row(1, 1, 66.7, (0, 0, 1, 0), (1, 1, 1, 0), (2, 1, 1, 0)),
            row(2, 1, 66.7, (0, 0, 1, 0), (1, 1, 1, 0), (2, 1, 1, 0)),
            row(3, 1, 33.3, (0, 1, 1, 1), (1, 0, 1, 1), (2, 0, 1, 1)),
            row(4, 1, 66.7, (0, 1, 1, 1), (1, 0, 1, 1), (2, 1, 1, 0))]
    stats = analyse(rows, {0: "single", 1: "single", 2: "single"})
    names = {0: '=HYPERLINK("http://evil.example","x")', 1: "@SUM(A1)", 2: "\tPorts -1"}
    header, first, second, third = csv_rows(stats, names)
    assert header == ["Number", "Name", "Type", "Attempts", "Facility %", "SD %", "Discrimination %", "Not answered"]
    assert first == ["1", "'" + names[0], "single", "4", "50.0", "57.7", "-90.5", "0"]
    assert second[1] == "'@SUM(A1)" and third[1] == "'\tPorts -1"
    assert csv_rows(stats, ["+1+2", "-3", "Plain"])[1][1:2] == ["'+1+2"]
    assert [r[1] for r in csv_rows(stats, ["a", "-3", "Plain"])[1:]] == ["a", "-3", "Plain"]
