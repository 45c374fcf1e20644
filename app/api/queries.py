"""What the API reads, each list in a fixed, small number of queries however long the page is."""

from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import func
from sqlalchemy.orm import load_only, selectinload

from app.accounts.models import User, email_key
from app.certificates.models import Certificate
from app.cohorts.models import Cohort, CohortMember, cohort_courses
from app.content.models import Course
from app.extensions import db
from app.learning.models import Completion, Enrolment


@dataclass
class Page:
    """One page of a list: its rows and the total over all pages."""

    rows: list
    total: int
    page: int
    per_page: int

    @property
    def has_next(self):
        return self.page * self.per_page < self.total


def _paginate(statement, count_statement, page, per_page):
    total = db.session.scalar(count_statement)
    rows = db.session.execute(statement.limit(per_page).offset((page - 1) * per_page)).all() if total else []
    return Page(rows=rows, total=total, page=page, per_page=per_page)


def course_by_slug(slug):
    """Any course (published or not) by its slug, or None."""
    return db.session.scalar(db.select(Course).where(Course.slug == slug))


def cohort_by_id(cohort_id):
    """A cohort with its members (and their organisations) loaded, or None."""
    return db.session.scalar(
        db.select(Cohort).where(Cohort.id == cohort_id).options(selectinload(Cohort.members)))


def published_courses(page, per_page):
    """Published courses with their current version, by slug."""
    conditions = (Course.published.is_(True), Course.current_version_id.is_not(None))
    return _paginate(db.select(Course).where(*conditions).order_by(Course.slug),
                     db.select(func.count(Course.id)).where(*conditions), page, per_page)


def cohorts(page, per_page):
    """Cohorts, the latest start first, with their member counts (rows are (cohort, count))."""
    result = _paginate(db.select(Cohort).order_by(Cohort.starts_on.desc(), Cohort.id.desc()),
                       db.select(func.count(Cohort.id)), page, per_page)
    found = [cohort for (cohort,) in result.rows]
    counts = dict(db.session.execute(
        db.select(CohortMember.cohort_id, func.count(CohortMember.id))
        .where(CohortMember.cohort_id.in_([c.id for c in found])).group_by(CohortMember.cohort_id)).all())
    result.rows = [(cohort, counts.get(cohort.id, 0)) for cohort in found]
    return result


def _learner_conditions(model, course=None, cohort=None, email=None):
    conditions = []
    if course is not None:
        conditions.append(model.course_id == course.id)
    if cohort is not None:
        # A cohort's enrolments: its members, on its courses.
        conditions.append(model.user_id.in_(
            db.select(CohortMember.user_id).where(CohortMember.cohort_id == cohort.id)))
        conditions.append(model.course_id.in_(
            db.select(cohort_courses.c.course_id).where(cohort_courses.c.cohort_id == cohort.id)))
    if email is not None:
        conditions.append(User.email == email_key(email))
    return conditions


def enrolments(page, per_page, **filters):
    """Enrolments matching the filters, oldest first; rows are (enrolment, user)."""
    conditions = _learner_conditions(Enrolment, **filters)
    joined = (User, User.id == Enrolment.user_id)
    return _paginate(
        db.select(Enrolment, User).join(*joined).where(*conditions).order_by(Enrolment.id),
        db.select(func.count(Enrolment.id)).join(*joined).where(*conditions), page, per_page)


def completions(page, per_page, since=None, **filters):
    """Completions matching the filters, oldest first; rows are (completion, user, certificate or None)."""
    conditions = _learner_conditions(Completion, **filters)
    if since is not None:
        conditions.append(Completion.completed_at >= datetime.combine(since, time.min))
    joined = (User, User.id == Completion.user_id)
    result = _paginate(
        db.select(Completion, User).join(*joined).where(*conditions).order_by(Completion.completed_at, Completion.id),
        db.select(func.count(Completion.id)).join(*joined).where(*conditions), page, per_page)
    certificates = _certificates_for([completion for completion, _user in result.rows])
    result.rows = [(completion, user, certificates.get((completion.user_id, completion.course_id,
                                                        completion.version_id)))
                   for completion, user in result.rows]
    return result


def _certificates_for(completions_):
    """The latest certificate (valid or revoked, not superseded) of each completion, in one query."""
    if not completions_:
        return {}
    found = db.session.scalars(
        db.select(Certificate)
        .options(load_only(Certificate.user_id, Certificate.course_id, Certificate.version_id, Certificate.code,
                           Certificate.state, Certificate.valid_until, Certificate.issued_at))  # not the PDFs
        .where(Certificate.user_id.in_({c.user_id for c in completions_}),
               Certificate.course_id.in_({c.course_id for c in completions_}),
               Certificate.state != "superseded")
        .order_by(Certificate.issued_at, Certificate.id)).all()
    return {(c.user_id, c.course_id, c.version_id): c for c in found}  # the latest wins
