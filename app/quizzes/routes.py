"""Quiz pages: intro, the attempt with autosave, the check page, submit and the review."""

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.content import services as content
from app.extensions import db
from app.learning import services as learning
from app.quizzes import attempts, bp, registry
from app.quizzes.forms import AttemptForm


def _course_quiz(slug, quiz_slug):
    """The course and the quiz of the version this learner is on (enrolling them if needed)."""
    course, version = content.viewable_course(slug, current_user)
    if course is None:
        abort(404)
    enrolment = learning.enrolment_of(current_user, course)
    if enrolment is not None and enrolment.state == "active":
        version = enrolment.version
    quiz = attempts.quiz_of(version.id, quiz_slug)
    if quiz is None:
        abort(404)
    return course, version, quiz


def _attempt_or_404(attempt_id):
    """The learner's own attempt, or 404. Views link with the URL's `attempt_id`: `attempt.id` read
    after a commit would load the whole row again."""
    attempt = attempts.owned(attempt_id, current_user.id)
    if attempt is None:
        abort(404)
    return attempt


def _after_grading(attempt):
    """A passed attempt may complete the course."""
    enrolment = learning.enrolment_of(current_user, attempt.quiz.version.course)
    if attempt.passed and enrolment is not None and enrolment.state == "active":
        learning.check_completion(enrolment)


def _raw_answers(attempt, form):
    raw = {}
    for position, slot in enumerate(attempt.layout):
        question = attempt.quiz.questions[slot["q"]]
        name = f"q{position}"
        if question["type"] == "multiple":
            raw[str(position)] = form.getlist(name)
        elif question["type"] == "matching":
            raw[str(position)] = {key[len(name) + 1:]: value for key, value in form.items()
                                  if key.startswith(name + "-")}
        else:
            raw[str(position)] = form.get(name)
    return raw


@bp.route("/courses/<slug>/quiz/<quiz_slug>")
@login_required
def intro(slug, quiz_slug):
    """What the quiz is, how many attempts are left, and earlier results."""
    course, version, quiz = _course_quiz(slug, quiz_slug)
    mine = attempts.attempts_of(current_user.id, quiz)
    return render_template("quizzes/intro.html", course=course, version=version, quiz=quiz, attempts=mine,
                           left=attempts.attempts_left(quiz, mine), form=AttemptForm(),
                           minutes=attempts.time_limit_for(quiz, current_user.time_accommodation),
                           open_attempt=next((a for a in mine if a.state == "in_progress"), None))


@bp.route("/courses/<slug>/quiz/<quiz_slug>/start", methods=["POST"])
@login_required
def start(slug, quiz_slug):
    """Start (or resume) an attempt."""
    course, _version, quiz = _course_quiz(slug, quiz_slug)
    if not AttemptForm().validate_on_submit():
        abort(400)
    try:
        learning.active_enrolment(current_user, course)
        attempt = attempts.start(current_user.id, quiz, accommodation=current_user.time_accommodation)
    except (attempts.AttemptError, learning.LearningError) as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("quizzes.intro", slug=slug, quiz_slug=quiz_slug))
    attempt_id = attempt.id  # read before the commit expires it: no reload just to build the link
    db.session.commit()
    return redirect(url_for("quizzes.attempt", attempt_id=attempt_id))


@bp.route("/attempts/<int:attempt_id>")
@login_required
def attempt(attempt_id):
    """The questions, with the answers saved so far."""
    attempt = _attempt_or_404(attempt_id)
    if attempt.state != "in_progress" or attempts.overdue(attempt):
        return redirect(url_for("quizzes.review", attempt_id=attempt_id))
    return render_template("quizzes/attempt.html", attempt=attempt, quiz=attempt.quiz, form=AttemptForm())


@bp.route("/attempts/<int:attempt_id>/save", methods=["POST"])
@login_required
def save(attempt_id):
    """Save answers (the page's script does this as you go; the button without scripts)."""
    attempt = _attempt_or_404(attempt_id)
    wants_json = request.headers.get("X-Requested-With") == "fetch"
    if not AttemptForm().validate_on_submit():
        return (jsonify(error="csrf"), 400) if wants_json else abort(400)
    if attempts.close_if_overdue(attempt):
        _after_grading(attempt)
        db.session.commit()
        message = _("The time is up. Your attempt was closed with the answers saved before.")
        if wants_json:
            return jsonify(error=message, closed=True), 409
        flash(message, "info")
        return redirect(url_for("quizzes.review", attempt_id=attempt_id))
    try:
        revision = attempts.save(attempt, _raw_answers(attempt, request.form), request.form.get("revision", type=int))
    except attempts.AttemptError as error:
        db.session.rollback()
        if wants_json:
            return jsonify(error=str(error.message), stale=isinstance(error, attempts.StaleAttempt)), 409
        flash(str(error.message), "error")
        return redirect(url_for("quizzes.attempt", attempt_id=attempt_id))
    db.session.commit()
    if wants_json:
        return jsonify(revision=revision, saved=True)
    if request.form.get("action") == "check":
        return redirect(url_for("quizzes.check", attempt_id=attempt_id))
    flash(_("Your answers are saved."), "success")
    return redirect(url_for("quizzes.attempt", attempt_id=attempt_id))


@bp.route("/attempts/<int:attempt_id>/check")
@login_required
def check(attempt_id):
    """Before submitting: which questions are still unanswered."""
    attempt = _attempt_or_404(attempt_id)
    if attempt.state != "in_progress":
        return redirect(url_for("quizzes.review", attempt_id=attempt_id))
    unanswered = [position for position in range(len(attempt.layout)) if str(position) not in attempt.answers
                  and attempt.quiz.questions[attempt.layout[position]["q"]]["points"] > 0]
    return render_template("quizzes/check.html", attempt=attempt, unanswered=unanswered, form=AttemptForm())


@bp.route("/attempts/<int:attempt_id>/submit", methods=["POST"])
@login_required
def submit(attempt_id):
    """Submit once: double clicks and other tabs grade nothing twice."""
    attempt = _attempt_or_404(attempt_id)
    if not AttemptForm().validate_on_submit():
        abort(400)
    if attempts.close_if_overdue(attempt) or attempts.finish(attempt):
        _after_grading(attempt)
    db.session.commit()
    return redirect(url_for("quizzes.review", attempt_id=attempt_id))


@bp.route("/attempts/<int:attempt_id>/review")
@login_required
def review(attempt_id):
    """The result in plain words, and the answers as the quiz settings allow."""
    attempt = _attempt_or_404(attempt_id)
    if attempts.close_if_overdue(attempt):  # the time ran out while the learner was away
        _after_grading(attempt)
        db.session.commit()
    if attempt.state == "in_progress":
        return redirect(url_for("quizzes.attempt", attempt_id=attempt_id))
    quiz = attempt.quiz
    return render_template("quizzes/review.html", attempt=attempt, quiz=quiz, course=quiz.version.course,
                           level=quiz.settings.get("review", "full"), answer_feedback=_answer_feedback(attempt))


def _answer_feedback(attempt):
    """For short and numeric answers: the feedback of the accepted answer the learner's text matched."""
    feedback = {}
    for position, slot in enumerate(attempt.layout):
        question = attempt.quiz.questions[slot["q"]]
        if question["type"] not in ("short", "numeric"):
            continue
        kind = registry.get(question["type"])
        matched = kind.matching_answer(question["key"], attempt.answers.get(str(position)))
        if matched is not None:
            feedback[position] = question["display"]["feedback"][question["key"]["answers"].index(matched)]
    return feedback
