"""Item analysis of finished quiz attempts, after Moodle's quiz statistics report; pure Python."""

import re
import statistics
from dataclasses import dataclass, field

CHOICE_TYPES = ("single", "multiple", "true-false")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
CSV_HEADER = ["Number", "Name", "Type", "Attempts", "Facility %", "SD %", "Discrimination %", "Not answered"]


@dataclass
class QuestionStats:
    """How one question of the quiz (index q) fared across the attempts analysed."""

    q: int
    attempts: int = 0  # attempts that drew the question, ungraded ones included
    facility: float | None = None  # mean score as % of the question's points
    sd: float | None = None  # sample standard deviation of the score as %
    discrimination: float | None = None  # 100 × Pearson r of the score against the rest of the test
    choice_counts: dict = field(default_factory=dict)  # original choice index or "true"/"false" -> count
    not_answered: int = 0
    type: str = ""


@dataclass
class QuizStats:
    """Test-level figures and the per-question analysis."""

    attempts: int = 0
    mean_percent: float | None = None
    median_percent: float | None = None
    sd_percent: float | None = None
    distribution: list = field(default_factory=lambda: [0] * 10)  # 0–10 %, …, 90–100 % (100 % included)
    questions: list = field(default_factory=list)


def _stdev(values):
    """Sample standard deviation (n − 1, as Moodle), or None below two values."""
    return statistics.stdev(values) if len(values) > 1 else None


def _correlation(xs, ys):
    """Pearson's r, or None when undefined (under two pairs, or either side constant)."""
    if len(xs) < 2:
        return None
    try:
        return statistics.correlation(xs, ys)
    except statistics.StatisticsError:
        return None


def _blank(response):
    """Whether the learner gave no answer at all."""
    if isinstance(response, str):
        return not response.strip()
    return response is None or response in ([], {})


def _choices(kind, response):
    """The choice keys a response picked, for choice-type questions."""
    if kind == "single" and isinstance(response, int) and not isinstance(response, bool):
        return [response]
    if kind == "multiple" and isinstance(response, list):
        return sorted({r for r in response if isinstance(r, int) and not isinstance(r, bool)})
    if kind == "true-false" and response in ("true", "false"):
        return [response]
    return []


def _first_attempts(rows):
    """Each learner's lowest-numbered attempt only."""
    first = {}
    for row in rows:
        best = first.get(row["user_id"])
        if best is None or row["number"] < best["number"]:
            first[row["user_id"]] = row
    return list(first.values())


def _question(q, kind, items, totals):
    """Statistics of question q from each attempt's {q: item} and total score."""
    stats, counts = QuestionStats(q=q, type=kind), {}
    percents, scores, rests = [], [], []
    for by_q, total in zip(items, totals, strict=True):
        item = by_q.get(q)
        if item is None or not item.get("points"):
            continue
        stats.attempts += 1
        response = item.get("response")
        if _blank(response):
            stats.not_answered += 1
        elif kind in CHOICE_TYPES:
            for key in _choices(kind, response):
                counts[key] = counts.get(key, 0) + 1
        if item.get("fraction") is None:
            continue
        score = item["fraction"] * item["points"]
        percents.append(100 * item["fraction"])
        scores.append(round(score, 6))  # rounding keeps equal totals equal despite float sums
        rests.append(round(total - score, 6))
    if percents:
        stats.facility, stats.sd = statistics.fmean(percents), _stdev(percents)
    r = _correlation(scores, rests)
    stats.discrimination = None if r is None else 100 * r
    stats.choice_counts = dict(sorted(counts.items()))
    return stats


def analyse(rows, question_types, first_only=False):
    """Item analysis of finished attempts (all of them, or each learner's first with first_only)."""
    rows = _first_attempts(rows) if first_only else list(rows)
    stats = QuizStats(attempts=len(rows))
    percents = [row["percent"] for row in rows if row.get("percent") is not None]
    if percents:
        stats.mean_percent, stats.median_percent = statistics.fmean(percents), statistics.median(percents)
        stats.sd_percent = _stdev(percents)
    for percent in percents:
        stats.distribution[min(max(int(percent // 10), 0), 9)] += 1
    items = [{item["q"]: item for item in row.get("items") or ()} for row in rows]
    totals = [sum((i.get("fraction") or 0) * (i.get("points") or 0) for i in by_q.values()) for by_q in items]
    stats.questions = [_question(q, kind, items, totals)
                       for q, kind in sorted(question_types.items()) if kind != "description"]
    return stats


def _number(value):
    """A figure rounded to one decimal, blank when undefined (never "-0.0")."""
    return "" if value is None else f"{round(value, 1) + 0.0:.1f}"


def _safe(cell):
    """A cell a spreadsheet will not run as a formula; plain numbers such as -12.5 stay numbers."""
    cell = str(cell)
    if cell.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def csv_rows(stats, question_names):
    """Header and one row per question for CSV export; question_names maps q (or a list by q) to a name."""
    if isinstance(question_names, (list, tuple)):
        question_names = dict(enumerate(question_names))
    rows = [list(CSV_HEADER)]
    for s in stats.questions:
        rows.append([_safe(cell) for cell in (
            s.q + 1, question_names.get(s.q, ""), s.type, s.attempts,
            _number(s.facility), _number(s.sd), _number(s.discrimination), s.not_answered)])
    return rows
