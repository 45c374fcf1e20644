"""The needs report for hub staff: per competence, the share of people below the target level.

Figures are aggregates only. A group (an organisation, or people with none) is shown for a
competence only when at least `min_group` people are in it, and small groups are never shown with
their count. To stop differencing (the overall figure minus every visible organisation would give
a hidden one), when the hidden groups of a competence hold between 1 and min_group - 1 people in
all, the smallest visible groups are hidden too until they hold at least min_group or all are
hidden. Only each person's latest kept result counts; for the trend, their latest in each quarter.
"""

from dataclasses import dataclass

from flask import current_app

from app.accounts.models import Organisation, User
from app.accounts.settings import get_setting, set_setting
from app.extensions import db
from app.skills.models import SkillsCheck, SkillsResult

OVERALL = "all"
NO_ORGANISATION = "none"
MIN_GROUP_SETTING = "skills_min_group_size"
SMALLEST_ALLOWED = 2  # a "group" of one is a person


@dataclass(frozen=True)
class Cell:
    """One figure of the report: a group's competence in a period, with enough people to show."""

    period: str  # "" for the latest results, else "2027-Q1"
    group: str  # OVERALL, NO_ORGANISATION or an organisation id as text
    competence: str
    people: int
    below: int

    @property
    def share(self):
        """Percent of people below target, as a whole number."""
        return round(100 * self.below / self.people)


def min_group_size():
    """The smallest group the report shows: the site setting, else the SKILLS_MIN_GROUP_SIZE config."""
    value = get_setting(MIN_GROUP_SETTING, current_app.config["SKILLS_MIN_GROUP_SIZE"])
    try:
        return max(SMALLEST_ALLOWED, int(value))
    except (TypeError, ValueError):
        return max(SMALLEST_ALLOWED, int(current_app.config["SKILLS_MIN_GROUP_SIZE"]))


def set_min_group_size(size):
    """Store the smallest group size (an admin setting); refuses sizes under two."""
    if not isinstance(size, int) or size < SMALLEST_ALLOWED:
        raise ValueError("the minimum group size must be a whole number of at least 2")
    set_setting(MIN_GROUP_SETTING, str(size))


def families():
    """(family slug, title) of each published check family, in the check's original language."""
    checks = db.session.scalars(db.select(SkillsCheck).where(SkillsCheck.published.is_(True))
                                .order_by(SkillsCheck.title)).all()
    found = {}
    for check in checks:
        if check.slug == check.family or check.family not in found:
            found[check.family] = check
    return found


def _latest_kept(family):
    """(user's group, taken_at, levels, target) of every kept result of the family, newest first: one query."""
    rows = db.session.execute(
        db.select(SkillsResult.user_id, User.organisation_id, SkillsResult.taken_at, SkillsResult.levels,
                  SkillsResult.target)
        .join(SkillsCheck, SkillsResult.check_id == SkillsCheck.id).join(User, SkillsResult.user_id == User.id)
        .where((SkillsCheck.slug == family) | (SkillsCheck.translation_of == family))
        .order_by(SkillsResult.taken_at.desc(), SkillsResult.id.desc())).all()
    return rows


def _quarter(when):
    return f"{when.year}-Q{(when.month - 1) // 3 + 1}"


def report(family, min_group):
    """The visible cells: latest results (period "") and each quarter's, overall and per group."""
    rows = _latest_kept(family)
    latest, by_quarter = {}, {}
    for row in rows:  # newest first, so the first row of a person (in a quarter) is their latest there
        latest.setdefault(row.user_id, row)
        by_quarter.setdefault(_quarter(row.taken_at), {}).setdefault(row.user_id, row)
    cells = _cells("", latest.values(), min_group)
    for period in sorted(by_quarter):
        cells += _cells(period, by_quarter[period].values(), min_group)
    return cells


def _cells(period, results, min_group):
    counts = {}  # (group, competence) -> [people, below]
    for result in results:
        group = str(result.organisation_id) if result.organisation_id is not None else NO_ORGANISATION
        for competence, level in result.levels.items():
            for key in ((OVERALL, competence), (group, competence)):
                figures = counts.setdefault(key, [0, 0])
                figures[0] += 1
                figures[1] += level < result.target
    shown = _suppress(counts, min_group)
    return [Cell(period, group, competence, *counts[(group, competence)]) for group, competence in shown]


def _suppress(counts, min_group):
    """The (group, competence) keys that may be shown, with complementary suppression per competence."""
    shown = []
    for competence in sorted({competence for _group, competence in counts}):
        groups = {group: figures[0] for (group, comp), figures in counts.items()
                  if comp == competence and group != OVERALL}
        visible = {group for group, people in groups.items() if people >= min_group}
        hidden = sum(people for group, people in groups.items() if group not in visible)
        for group in sorted(visible, key=lambda g: (groups[g], g)):
            if hidden == 0 or hidden >= min_group:
                break
            visible.discard(group)
            hidden += groups[group]
        if counts[(OVERALL, competence)][0] >= min_group:
            shown.append((OVERALL, competence))
        shown += [(group, competence) for group in sorted(visible)]
    return shown


def organisation_names(cells):
    """Names of the organisations that appear in the cells: one query."""
    ids = {int(cell.group) for cell in cells if cell.group.isdigit()}
    if not ids:
        return {}
    return {str(org.id): org.name for org in db.session.scalars(
        db.select(Organisation).where(Organisation.id.in_(ids)))}
