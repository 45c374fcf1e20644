"""Learning rules: enrolment, prerequisites, lesson completion, course completion, versions."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app import audit
from app.content.models import Course, CourseItem
from app.content.services import published_courses
from app.content.signals import version_published
from app.extensions import db
from app.learning.models import Completion, Enrolment, LessonProgress
from app.learning.progress import lessons_remaining, quizzes_remaining
from app.learning.signals import course_completed
from app.timeutil import utcnow


class LearningError(Exception):
    """A rule stops the action; `missing` lists prerequisite courses not yet completed."""

    def __init__(self, message, missing=()):
        super().__init__(message)
        self.message = message
        self.missing = list(missing)


def enrolment_of(user, course):
    """The learner's enrolment on a course (active or withdrawn), or None."""
    if not user.is_authenticated:
        return None
    return db.session.scalar(
        db.select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id == course.id))


def completed_course_ids(user_id):
    """Ids of the courses this user has completed, on any version."""
    return set(db.session.scalars(db.select(Completion.course_id).where(Completion.user_id == user_id)))


def missing_prerequisites(user, version, completed_ids=None):
    """Prerequisite courses of `version` that the user has not completed, in the order listed."""
    slugs = version.prerequisites
    if not slugs:
        return []
    completed_ids = completed_course_ids(user.id) if completed_ids is None else completed_ids
    courses = {c.slug: c for c in db.session.scalars(db.select(Course).where(Course.slug.in_(slugs))).unique()}
    return [courses[slug] for slug in slugs if slug in courses and courses[slug].id not in completed_ids]


def enrol(user, course, enrolled_by=None, check_prerequisites=True):
    """Enrol (or re-enrol) a learner on the published version of a course."""
    if not course.published or course.current_version is None:
        raise LearningError(_l("This course is not open for enrolment."))
    if check_prerequisites:
        missing = missing_prerequisites(user, course.current_version)
        if missing:
            raise LearningError(_l("Complete the required courses first."), missing)
    enrolment = enrolment_of(user, course)
    if enrolment is None:
        enrolment = Enrolment(user_id=user.id, course_id=course.id, version_id=course.current_version_id,
                              enrolled_by_id=enrolled_by.id if enrolled_by else None)
        db.session.add(enrolment)
    elif enrolment.state == "withdrawn":
        enrolment.state, enrolment.withdrawn_at = "active", None
        if enrolment.completed_at is None:
            enrolment.version_id = course.current_version_id
    else:
        return enrolment  # already enrolled: nothing changes, nothing to record
    if enrolled_by is not None and enrolled_by.id != user.id:
        audit.record("enrolment.created", actor=enrolled_by, target=user, label=user.email, course=course.slug)
    db.session.flush()
    return enrolment


def enrol_many(users, course, enrolled_by, note=None):
    """Enrol many learners on a course at once (staff bulk enrolment; prerequisites are not checked).

    Existing active enrolments are left alone; withdrawn ones are reactivated. Returns the users
    who were newly enrolled. A few queries whatever the number of people.
    """
    if not course.published or course.current_version is None:
        raise LearningError(_l("This course is not open for enrolment."))
    by_user = {}
    ids = [user.id for user in users]
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        by_user.update({enrolment.user_id: enrolment for enrolment in db.session.scalars(
            db.select(Enrolment).where(Enrolment.course_id == course.id, Enrolment.user_id.in_(chunk)))})
    enrolled = []
    for user in users:
        enrolment = by_user.get(user.id)
        if enrolment is None:
            db.session.add(Enrolment(user_id=user.id, course_id=course.id, version_id=course.current_version_id,
                                     enrolled_by_id=enrolled_by.id if enrolled_by else None))
        elif enrolment.state == "withdrawn":
            enrolment.state, enrolment.withdrawn_at = "active", None
            if enrolment.completed_at is None:
                enrolment.version_id = course.current_version_id
        else:
            continue
        enrolled.append(user)
        audit.record("enrolment.created", actor=enrolled_by, target=user, label=user.email, course=course.slug,
                     note=note)
    db.session.flush()
    return enrolled


def withdraw(enrolment):
    """Leave a course; progress and completion stay, and re-enrolling restores them."""
    enrolment.state, enrolment.withdrawn_at = "withdrawn", utcnow()
    db.session.flush()


def active_enrolment(user, course):
    """The learner's active enrolment, enrolling them first when needed (prerequisites apply)."""
    enrolment = enrolment_of(user, course)
    if enrolment is None or enrolment.state != "active":
        enrolment = enrol(user, course)
    return enrolment


def _lesson(enrolment, slug):
    item = db.session.scalar(db.select(CourseItem).where(
        CourseItem.version_id == enrolment.version_id, CourseItem.slug == slug, CourseItem.kind == "lesson"))
    if item is None:
        raise LearningError(_l("This lesson is not part of your version of the course."))
    return item


def mark_complete(user, course, slug):
    """Record a lesson as done (once, even under double clicks); may complete the course."""
    enrolment = active_enrolment(user, course)
    _lesson(enrolment, slug)
    try:
        with db.session.begin_nested():
            db.session.add(LessonProgress(enrolment_id=enrolment.id, item_slug=slug))
    except IntegrityError:
        pass  # already recorded by an earlier or concurrent request
    enrolment.last_item_slug, enrolment.last_active_at = slug, utcnow()
    db.session.flush()
    return enrolment, check_completion(enrolment)


def mark_incomplete(user, course, slug):
    """Un-mark a lesson; a course already completed stays completed."""
    enrolment = enrolment_of(user, course)
    if enrolment is None:
        return None
    db.session.execute(db.delete(LessonProgress).where(
        LessonProgress.enrolment_id == enrolment.id, LessonProgress.item_slug == slug))
    db.session.flush()
    return enrolment


def check_completion(enrolment):
    """Record the completion when every lesson is done and every quiz passed; returns it or None."""
    if enrolment.completed_at is not None or lessons_remaining(enrolment) or quizzes_remaining(enrolment):
        return None
    completion = Completion(user_id=enrolment.user_id, course_id=enrolment.course_id,
                            version_id=enrolment.version_id)
    try:
        with db.session.begin_nested():
            db.session.add(completion)
    except IntegrityError:
        return None  # a concurrent request recorded it first
    enrolment.completed_at = completion.completed_at
    db.session.flush()
    course_completed.send(enrolment, user_id=enrolment.user_id, course=enrolment.course,
                          version=enrolment.version, completion=completion)
    return completion


def recommended_courses(user, language, limit=3):
    """Published courses in the user's language that they have not taken and may enrol on."""
    taken = set(db.session.scalars(db.select(Enrolment.course_id).where(Enrolment.user_id == user.id)))
    completed = completed_course_ids(user.id)
    courses = published_courses()
    slugs_completed = {c.slug for c in courses if c.id in completed}
    result = []
    for course in courses:
        version = course.current_version
        if course.id in taken or version.language != language:
            continue
        if all(slug in slugs_completed for slug in version.prerequisites):
            result.append(course)
    return result[:limit]


@version_published.connect
def _move_learners_to_new_version(sender, version, **extra):
    """Learners who have not completed move to the new version; lessons carry over by slug.

    A learner whose remaining lessons all disappeared in the new version completes now.
    """
    moving = db.session.scalars(
        db.select(Enrolment).where(Enrolment.course_id == version.course_id, Enrolment.completed_at.is_(None),
                                   Enrolment.version_id != version.id)
    ).all()
    for enrolment in moving:
        enrolment.version_id = version.id
        enrolment.version = version
    db.session.flush()
    for enrolment in moving:
        if enrolment.state == "active":
            check_completion(enrolment)
