"""Taking a skills check, seeing the result, and keeping it (signed-in learners who choose to).

A visitor's answers are scored from the POST and shown; nothing is written. Only when the visitor
asks to keep the result does its signed token go into the session, to survive signing in.
"""

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import csrf, db
from app.learning.forms import ActionForm
from app.skills import bp, scoring, services
from app.skills.chart import number, profile_chart
from app.skills.forms import CheckForm, KeepForm
from app.skills.recommendations import recommend

PENDING = "skills_pending"  # {"slug", "answers"}: a visitor's signed result waiting for them to sign in
MAX_POST_BYTES = 64 * 1024  # 200 ratings or a signed token take a few kB; the app-wide limit is for packages


@bp.before_app_request
def refuse_oversized_posts():
    """Refuse a large POST to the check before anything reads its body (registered ahead of the app's own hooks)."""
    if request.endpoint in ("skills.take", "skills.keep") and (request.content_length or 0) > MAX_POST_BYTES:
        abort(413)


@bp.app_template_global("level_number")
def level_number(value):
    """A level in the reader's number format (templates)."""
    return number(value)


def _check(slug):
    check = services.published_check(slug)
    if check is None:
        abort(404)
    return check


@bp.route("/skills")
def index():
    """The skills checks in the visitor's language, and a learner's kept results."""
    checks = services.checks_for(str(get_locale()))
    results = services.results_of(current_user) if current_user.is_authenticated else []
    return render_template("skills/index.html", checks=checks, results=results)


@bp.route("/skills/<slug>", methods=["GET", "POST"])
@csrf.exempt  # checked below by the form instead, so that an expired page gives the answers back, not an error page
def take(slug):
    """The statements to rate on one page; a POST is scored and shown at once, and stored nowhere."""
    check = _check(slug)
    form = CheckForm()
    if request.method == "GET":
        return _take_page(check, form, {}, {})
    answers, errors = scoring.read_answers(check.definition, request.form)
    if not form.validate_on_submit():
        flash(_("The page had expired. Your answers are below; please send them again."), "error")
        return _take_page(check, form, answers, {}), 400
    if errors:
        return _take_page(check, form, answers, errors)
    return _show_result(check, answers, token=services.sign_answers(check, answers))


def _take_page(check, form, answers, errors):
    return render_template("skills/take.html", check=check, form=form, answers=answers, errors=errors,
                           translations=services.translations(check))


def _show_result(check, answers, token=None, result=None, previous=None):
    """The result page, for a result just taken (token) or a kept one (result)."""
    levels = result.levels if result else scoring.levels(check.definition, answers)
    target = result.target if result else check.target
    if result is None and current_user.is_authenticated:
        kept = services.latest_result(current_user, check)
        previous = kept.levels if kept else None
    areas = scoring.profile(check.definition, levels, target, previous)
    gaps = scoring.below_target(levels, target)
    return render_template(
        "skills/result.html", check=check, areas=areas, target=target, result=result, token=token,
        compared=previous is not None, chart=profile_chart(areas, len(check.scale), target),
        recommendations=recommend(check, gaps, str(get_locale()), current_user),
        keep_form=KeepForm(answers=token), enrol_form=ActionForm())


@bp.route("/skills/<slug>/keep", methods=["POST"])
def keep(slug):
    """Keep a result just taken; a visitor signs in first and comes back to confirm."""
    check = _check(slug)
    form = KeepForm()
    if not form.validate_on_submit():
        flash(_("The result could not be kept. Please take the skills check again."), "error")
        return redirect(url_for("skills.take", slug=slug))
    if not current_user.is_authenticated:
        session[PENDING] = {"slug": slug, "answers": form.answers.data}
        flash(_("Sign in (or create an account) to keep your result."), "info")
        return redirect(url_for("accounts.login", next=url_for("skills.pending", slug=slug)))
    try:
        answers = services.read_signed_answers(check, form.answers.data)
    except services.SkillsError as error:
        flash(str(error.message), "error")
        return redirect(url_for("skills.take", slug=slug))
    result = services.keep_result(current_user, check, answers)
    db.session.commit()
    session.pop(PENDING, None)
    flash(_("Your result is kept. Only you can see it."), "success")
    return redirect(url_for("skills.result", result_id=result.id))


@bp.route("/skills/<slug>/pending")
@login_required
def pending(slug):
    """After signing in: the result the visitor asked to keep, with the button to keep it."""
    check = _check(slug)
    entry = session.get(PENDING)
    if not isinstance(entry, dict) or entry.get("slug") != slug:
        flash(_("There is no result waiting to be kept. Take the skills check to get one."), "info")
        return redirect(url_for("skills.take", slug=slug))
    try:
        answers = services.read_signed_answers(check, entry.get("answers"))
    except services.SkillsError as error:
        session.pop(PENDING, None)
        flash(str(error.message), "error")
        return redirect(url_for("skills.take", slug=slug))
    return _show_result(check, answers, token=entry["answers"])


@bp.route("/skills/results/<int:result_id>")
@login_required
def result(result_id):
    """A kept result, with the change since the one before it; only its learner may open it."""
    kept = services.own_result(current_user, result_id)
    if kept is None:
        abort(404)
    previous = services.previous_result(kept)
    return _show_result(kept.check, kept.answers, result=kept, previous=previous.levels if previous else None)
