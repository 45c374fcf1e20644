"""Course and lesson pages with the learner's progress, enrolment actions and the dashboard."""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.content import services as content
from app.extensions import db
from app.learning import bp, dashboard_extras, services
from app.learning.forms import ActionForm
from app.learning.models import Completion, Enrolment
from app.learning.progress import progress_for


def _viewable(slug):
    course, version = content.viewable_course(slug, current_user)
    if course is None:
        abort(404)
    return course, version


def _learner_state(course, version):
    """The enrolment and progress of the signed-in learner on this course (two or three queries)."""
    enrolment = services.enrolment_of(current_user, course)
    active = enrolment if enrolment is not None and enrolment.state == "active" else None
    progress = progress_for([active], current_user.id)[active.id] if active else None
    return enrolment, active, progress


@bp.route("/courses/<slug>")
def course(slug):
    """Who the course is for, what it teaches, the lessons as a task list, and one main action."""
    course, version = _viewable(slug)
    enrolment = active = progress = None
    missing = []
    if current_user.is_authenticated:
        enrolment, active, progress = _learner_state(course, version)
        if active is None:
            missing = services.missing_prerequisites(current_user, version)
    shown = active.version if active else version
    return render_template(
        "learning/course.html", course=course, version=shown, items=content.outline(shown),
        translations=content.translations(course, version),
        prerequisites=content.courses_by_slug(version.prerequisites), missing=missing,
        preview=not (course.published and version.id == course.current_version_id),
        enrolment=enrolment, progress=progress, form=ActionForm(),
    )


@bp.route("/courses/<slug>/<lesson>")
def lesson(slug, lesson):
    """A lesson, its place in the course, and "Mark as complete and continue"."""
    course, version = _viewable(slug)
    if version.access == "registered" and not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    progress = None
    if current_user.is_authenticated:
        _enrolment, active, progress = _learner_state(course, version)
        version = active.version if active else version
    item = content.lesson(version, lesson)
    if item is None:
        abort(404)
    items = content.outline(version)
    index = next(i for i, row in enumerate(items) if row.id == item.id)
    lessons = [row for row in items if row.kind == "lesson"]
    return render_template(
        "learning/lesson.html", course=course, version=version, item=item, items=items,
        previous=items[index - 1] if index > 0 else None,
        next=items[index + 1] if index + 1 < len(items) else None,
        lesson_number=next(i for i, row in enumerate(lessons, 1) if row.id == item.id), lesson_count=len(lessons),
        done=bool(progress and progress.state_of(item.slug) and progress.state_of(item.slug).done),
        progress=progress, form=ActionForm(),
    )


@bp.route("/courses/<slug>/enrol", methods=["POST"])
@login_required
def enrol(slug):
    """Join a course; missing prerequisites are explained on the course page."""
    course, _version = _viewable(slug)
    if ActionForm().validate_on_submit():
        try:
            enrolment = services.enrol(current_user, course)
        except services.LearningError as error:
            db.session.rollback()
            flash(str(error.message), "error")
            return redirect(url_for("learning.course", slug=slug))
        db.session.commit()
        flash(_("You are enrolled. Start with the first lesson when you are ready."), "success")
        first = next((row for row in content.outline(enrolment.version) if row.kind == "lesson"), None)
        if first is not None:
            return redirect(url_for("learning.lesson", slug=slug, lesson=first.slug))
    return redirect(url_for("learning.course", slug=slug))


@bp.route("/courses/<slug>/leave", methods=["POST"])
@login_required
def leave(slug):
    """Leave a course; progress is kept for when the learner comes back."""
    course, _version = _viewable(slug)
    enrolment = services.enrolment_of(current_user, course)
    if ActionForm().validate_on_submit() and enrolment is not None:
        services.withdraw(enrolment)
        db.session.commit()
        flash(_("You have left the course. Your progress is kept if you come back."), "success")
    return redirect(url_for("learning.course", slug=slug))


@bp.route("/courses/<slug>/<lesson>/complete", methods=["POST"])
@login_required
def complete(slug, lesson):
    """Mark a lesson complete and go on to the next lesson (or back to the course)."""
    course, _version = _viewable(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        enrolment, completion = services.mark_complete(current_user, course, lesson)
    except services.LearningError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("learning.course", slug=slug))
    db.session.commit()
    if completion is not None:
        flash(_("Well done! You have completed this course."), "success")
        return redirect(url_for("learning.course", slug=slug))
    items = content.outline(enrolment.version)
    index = next((i for i, row in enumerate(items) if row.slug == lesson), len(items))
    following = items[index + 1] if index + 1 < len(items) else None
    if following is not None and following.kind == "lesson":
        return redirect(url_for("learning.lesson", slug=slug, lesson=following.slug))
    if following is not None:  # a quiz: its page belongs to the quiz engine, at the design's address
        return redirect(url_for("learning.course", slug=slug) + f"/quiz/{following.slug}")
    return redirect(url_for("learning.course", slug=slug))


@bp.route("/courses/<slug>/<lesson>/incomplete", methods=["POST"])
@login_required
def incomplete(slug, lesson):
    """Un-mark a lesson, e.g. to read it again later."""
    course, _version = _viewable(slug)
    if ActionForm().validate_on_submit():
        services.mark_incomplete(current_user, course, lesson)
        db.session.commit()
        flash(_("The lesson is marked as not completed."), "info")
    return redirect(url_for("learning.lesson", slug=slug, lesson=lesson))


@bp.route("/dashboard")
@login_required
def dashboard():
    """My learning: continue where I left off, courses in progress, completed, recommended."""
    enrolments = db.session.scalars(
        db.select(Enrolment).where(Enrolment.user_id == current_user.id, Enrolment.state == "active")
        .order_by(Enrolment.last_active_at.desc().nulls_last(), Enrolment.enrolled_at.desc())
    ).unique().all()
    in_progress = [e for e in enrolments if e.completed_at is None]
    progress = progress_for(in_progress, current_user.id)
    completions = db.session.scalars(
        db.select(Completion).where(Completion.user_id == current_user.id).order_by(Completion.completed_at.desc())
    ).all()
    recommended = services.recommended_courses(current_user, str(get_locale()))
    return render_template("learning/dashboard.html", in_progress=in_progress, progress=progress,
                           completions=completions, recommended=recommended,
                           **dashboard_extras.context_for(current_user))
