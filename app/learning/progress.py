"""Progress of enrolments, computed in bulk: a few queries however many courses and lessons."""

from dataclasses import dataclass, field

from app.content import services as content
from app.content.models import CourseItem
from app.extensions import db
from app.learning.models import LessonProgress
from app.learning.quiz_results import passed_quizzes


@dataclass
class ItemState:
    """A lesson or quiz of the learner's version, and whether it is done (read or passed)."""

    slug: str
    kind: str
    title: str
    minutes: int | None
    done: bool


@dataclass
class CourseProgress:
    """Where a learner stands in one course."""

    items: list = field(default_factory=list)

    @property
    def total(self):
        return len(self.items)

    @property
    def done_count(self):
        return sum(item.done for item in self.items)

    @property
    def percent(self):
        return min(100, round(100 * self.done_count / self.total)) if self.total else 0

    @property
    def next_item(self):
        """The first item not done yet (the dashboard resumes there), or None."""
        return next((item for item in self.items if not item.done), None)

    @property
    def lessons(self):
        return [item for item in self.items if item.kind == "lesson"]

    def state_of(self, slug):
        return next((item for item in self.items if item.slug == slug), None)


def progress_for(enrolments, user_id):
    """{enrolment id: CourseProgress} for enrolments of one user: lesson progress and quiz results (two
    queries), and the versions' outlines (one more, for versions this process has not seen yet)."""
    if not enrolments:
        return {}
    version_ids = {e.version_id for e in enrolments}
    items = content.outlines({e.version_id: e.version for e in enrolments}.values())
    done = {}
    for enrolment_id, slug in db.session.execute(
        db.select(LessonProgress.enrolment_id, LessonProgress.item_slug)
        .where(LessonProgress.enrolment_id.in_([e.id for e in enrolments]))
    ):
        done.setdefault(enrolment_id, set()).add(slug)
    quizzes = passed_quizzes(user_id, version_ids)
    result = {}
    for enrolment in enrolments:
        read, passed = done.get(enrolment.id, set()), quizzes.get(enrolment.version_id, set())
        result[enrolment.id] = CourseProgress([
            ItemState(row.slug, row.kind, row.title, row.minutes,
                      row.slug in (read if row.kind == "lesson" else passed))
            for row in items[enrolment.version_id]
        ])
    return result


def lessons_remaining(enrolment):
    """How many lessons of the learner's version are not completed (one COUNT query)."""
    completed = db.select(LessonProgress.item_slug).where(LessonProgress.enrolment_id == enrolment.id)
    return db.session.scalar(
        db.select(db.func.count(CourseItem.id)).where(
            CourseItem.version_id == enrolment.version_id, CourseItem.kind == "lesson",
            CourseItem.slug.not_in(completed),
        )
    )


def quizzes_remaining(enrolment):
    """How many quizzes of the learner's version are not passed."""
    slugs = set(db.session.scalars(
        db.select(CourseItem.slug).where(CourseItem.version_id == enrolment.version_id, CourseItem.kind == "quiz")))
    passed = passed_quizzes(enrolment.user_id, [enrolment.version_id])[enrolment.version_id]
    return len(slugs - passed)
