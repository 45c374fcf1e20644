"""The learning section of a learner's data download: enrolments, lesson progress, completions.

Nothing here is erased: enrolments and progress stay under the pseudonym so that course statistics
do not change when someone leaves (see app/accounts/erasure.py).
"""

from app.accounts import privacy
from app.accounts.privacy import iso
from app.extensions import db
from app.learning.models import Completion, Enrolment, LessonProgress


def learning_section(user):
    """Enrolments with the lessons completed in each, and completions (three queries)."""
    enrolments = db.session.scalars(db.select(Enrolment).where(Enrolment.user_id == user.id)
                                    .order_by(Enrolment.enrolled_at, Enrolment.id)).all()
    lessons = db.session.execute(
        db.select(LessonProgress.enrolment_id, LessonProgress.item_slug, LessonProgress.completed_at)
        .join(Enrolment, LessonProgress.enrolment_id == Enrolment.id).where(Enrolment.user_id == user.id)
        .order_by(LessonProgress.completed_at, LessonProgress.id)).all()
    by_enrolment = {}
    for enrolment_id, slug, completed_at in lessons:
        by_enrolment.setdefault(enrolment_id, []).append({"lesson": slug, "completed_at": iso(completed_at)})
    completions = db.session.scalars(db.select(Completion).where(Completion.user_id == user.id)
                                     .order_by(Completion.completed_at, Completion.id)).all()
    return {
        "enrolments": [{
            "course": enrolment.course.slug, "course_title": enrolment.version.title,
            "course_version": enrolment.version.number, "state": enrolment.state,
            "enrolled_at": iso(enrolment.enrolled_at),
            "enrolled_by": "you" if enrolment.enrolled_by_id in (None, user.id) else "hub staff",
            "withdrawn_at": iso(enrolment.withdrawn_at), "last_lesson": enrolment.last_item_slug,
            "last_active_at": iso(enrolment.last_active_at), "completed_at": iso(enrolment.completed_at),
            "lessons_completed": by_enrolment.get(enrolment.id, []),
        } for enrolment in enrolments],
        "completions": [{
            "course": completion.course.slug, "course_title": completion.version.title,
            "course_version": completion.version.number, "completed_at": iso(completion.completed_at),
        } for completion in completions],
    }


privacy.register_section("learning", learning_section)
