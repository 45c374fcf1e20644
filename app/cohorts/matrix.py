"""A cohort's progress as a matrix: learners down, each course's lessons and quizzes across."""

from dataclasses import dataclass, field

from sqlalchemy import func

from app.cohorts.models import CohortMember
from app.content.models import CourseItem, CourseVersion
from app.extensions import db
from app.learning.models import Completion, Enrolment, LessonProgress
from app.quizzes.models import Attempt, Quiz


@dataclass
class Column:
    course_slug: str
    course_title: str
    language: str
    kind: str  # lesson | quiz
    slug: str
    title: str


@dataclass
class Row:
    user: object
    cells: dict = field(default_factory=dict)  # (course slug, item slug) -> True | {"percent", "passed"}
    completed: set = field(default_factory=set)  # course slugs
    enrolled: set = field(default_factory=set)

    def done_count(self, columns):
        return sum(1 for column in columns if self.is_done(column))

    def is_done(self, column):
        cell = self.cells.get((column.course_slug, column.slug))
        return cell is True or (isinstance(cell, dict) and cell["passed"])


def build(cohort):
    """Columns and rows for a cohort; six queries whatever its size."""
    courses = {course.id: course for course in cohort.courses}
    columns = []
    if courses:
        items = db.session.execute(
            db.select(CourseItem.version_id, CourseItem.kind, CourseItem.slug, CourseItem.title)
            .join(CourseVersion, CourseVersion.id == CourseItem.version_id)
            .where(CourseVersion.id.in_([c.current_version_id for c in courses.values() if c.current_version_id]))
            .order_by(CourseItem.version_id, CourseItem.position)).all()
        by_version = {course.current_version_id: course for course in courses.values()}
        for course in sorted(courses.values(), key=lambda c: c.slug):
            version = course.current_version
            columns += [Column(course.slug, version.title, version.language, kind, slug, title)
                        for version_id, kind, slug, title in items if by_version[version_id] is course]
    members = db.session.scalars(db.select(CohortMember).where(CohortMember.cohort_id == cohort.id)).all()
    rows = {member.user_id: Row(member.user) for member in members}
    if not rows or not courses:
        return columns, _sorted(rows)
    course_ids = list(courses)
    slug_of = {course_id: course.slug for course_id, course in courses.items()}
    members_sq = db.select(CohortMember.user_id).where(CohortMember.cohort_id == cohort.id)

    for user_id, course_id, item_slug in db.session.execute(
            db.select(Enrolment.user_id, Enrolment.course_id, LessonProgress.item_slug)
            .join(LessonProgress, LessonProgress.enrolment_id == Enrolment.id)
            .where(Enrolment.user_id.in_(members_sq), Enrolment.course_id.in_(course_ids))):
        rows[user_id].cells[(slug_of[course_id], item_slug)] = True
    for user_id, course_id in db.session.execute(
            db.select(Enrolment.user_id, Enrolment.course_id)
            .where(Enrolment.user_id.in_(members_sq), Enrolment.course_id.in_(course_ids),
                   Enrolment.state == "active")):
        rows[user_id].enrolled.add(slug_of[course_id])
    for user_id, course_id, quiz_slug, best, passed in db.session.execute(
            db.select(Attempt.user_id, CourseVersion.course_id, Quiz.slug, func.max(Attempt.percent),
                      func.max(db.case((Attempt.passed.is_(True), 1), else_=0)))
            .join(Quiz, Quiz.id == Attempt.quiz_id).join(CourseVersion, CourseVersion.id == Quiz.version_id)
            .where(Attempt.user_id.in_(members_sq), CourseVersion.course_id.in_(course_ids),
                   Attempt.state == "submitted")
            .group_by(Attempt.user_id, CourseVersion.course_id, Quiz.slug)):
        rows[user_id].cells[(slug_of[course_id], quiz_slug)] = {"percent": best, "passed": bool(passed)}
    for user_id, course_id in db.session.execute(
            db.select(Completion.user_id, Completion.course_id).distinct()
            .where(Completion.user_id.in_(members_sq), Completion.course_id.in_(course_ids))):
        rows[user_id].completed.add(slug_of[course_id])
    return columns, _sorted(rows)


def _sorted(rows):
    return sorted(rows.values(), key=lambda row: (row.user.full_name.lower(), row.user.id))


def csv_table(columns, rows, labels):
    """Header and rows for the CSV export; the same values the page shows."""
    header = [labels["name"], labels["email"], labels["organisation"]]
    header += [f"{column.course_slug}: {column.title}" for column in columns]
    header += [f"{slug}: {labels['completed']}" for slug in dict.fromkeys(column.course_slug for column in columns)]
    body = []
    for row in rows:
        line = [row.user.full_name, row.user.email, row.user.organisation.name if row.user.organisation else ""]
        for column in columns:
            cell = row.cells.get((column.course_slug, column.slug))
            if column.kind == "quiz":
                line.append("" if cell is None else round(cell["percent"] or 0))
            else:
                line.append(labels["done"] if cell else "")
        line += [labels["yes"] if slug in row.completed else labels["no"]
                 for slug in dict.fromkeys(column.course_slug for column in columns)]
        body.append(line)
    return header, body
