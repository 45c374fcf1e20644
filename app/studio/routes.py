"""Studio pages (trainers for their courses; staff and admins for all)."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import User
from app.content import exporter
from app.content.package import PackageError
from app.content.problems import ValidationFailed
from app.content.services import can_edit
from app.extensions import db
from app.quizzes import essays as essay_grading
from app.quizzes import item_analysis
from app.quizzes.models import Attempt
from app.security import role_required
from app.studio import bp, forms, services

STUDIO_ROLES = ("trainer", "staff")


def _course_or_404(slug):
    course = services.course_for_editing(slug, current_user)
    if course is None:
        abort(404)
    return course


@bp.route("/")
@role_required(*STUDIO_ROLES)
def index():
    """The courses this trainer may change, with their state."""
    return render_template("studio/index.html", rows=services.editable_courses(current_user))


@bp.route("/upload", methods=["GET", "POST"])
@role_required(*STUDIO_ROLES)
def upload():
    """Upload a package; it becomes a draft version, or every problem is listed."""
    form = forms.UploadForm()
    problems, course = [], None
    if form.validate_on_submit():
        upload_file = form.package.data
        try:
            result = services.upload(current_user, upload_file.filename or "package.zip", upload_file.read())
        except PackageError as error:
            db.session.rollback()
            form.package.errors.append(_("The archive was refused: %(path)s: %(message)s",
                                         path=error.path, message=error.message))
        except ValidationFailed as failed:
            db.session.rollback()
            problems = failed.problems
            course = services.course_of_problems(problems, current_user)
        except services.StudioError as error:
            db.session.rollback()
            form.package.errors.append(str(error.message))
        else:
            db.session.commit()
            if result.status == "unchanged":
                flash(_("This package is the same as version %(n)d: nothing changed.", n=result.version), "info")
            else:
                flash(_("Version %(n)d was saved as a draft. Check it, then publish it.", n=result.version), "success")
            return redirect(url_for("studio.course", slug=result.slug))
    return render_template("studio/upload.html", form=form, problems=problems, course=course)


@bp.route("/courses/<slug>")
@role_required(*STUDIO_ROLES)
def course(slug):
    """Version history, files of the newest version, publish and download."""
    course = _course_or_404(slug)
    versions = services.versions_of(course)
    return render_template("studio/course.html", course=course, versions=versions, latest=versions[0],
                           form=forms.ConfirmForm(), editors=services.editors_of(course),
                           editor_form=forms.AddEditorForm(), bank_form=forms.QuestionBankForm())


@bp.route("/courses/<slug>/question-bank", methods=["POST"])
@role_required(*STUDIO_ROLES)
def import_bank(slug):
    """Import a GIFT or Aiken file as a new quiz of the course (a new draft version)."""
    course = _course_or_404(slug)
    form = forms.QuestionBankForm()
    latest = services.versions_of(course)[0]
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for("studio.course", slug=slug))
    try:
        result = services.import_question_bank(current_user, course, latest, form.bank.data.filename or "bank.gift",
                                               form.bank.data.read(), form.title.data)
    except services.StudioError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("studio.course", slug=slug))
    except ValidationFailed as failed:
        db.session.rollback()
        for problem in failed.problems[:20]:
            flash(str(problem), "error")
        return redirect(url_for("studio.course", slug=slug))
    db.session.commit()
    flash(_("The questions were added as a new quiz in draft version %(n)d.", n=result.version), "success")
    return redirect(url_for("studio.course", slug=slug))


@bp.route("/courses/<slug>/editors", methods=["POST"])
@role_required(*STUDIO_ROLES)
def add_editor(slug):
    """Add a co-author by e-mail."""
    course = _course_or_404(slug)
    form = forms.AddEditorForm()
    if form.validate_on_submit():
        try:
            user = services.add_editor(course, form.email.data)
        except services.StudioError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("%(name)s can now edit this course.", name=user.full_name), "success")
    else:
        flash(_("Enter the trainer's e-mail address."), "error")
    return redirect(url_for("studio.course", slug=slug))


@bp.route("/courses/<slug>/editors/<int:user_id>/remove", methods=["POST"])
@role_required(*STUDIO_ROLES)
def remove_editor(slug, user_id):
    """Remove a co-author."""
    course = _course_or_404(slug)
    if forms.ConfirmForm().validate_on_submit():
        try:
            services.remove_editor(course, user_id)
        except services.StudioError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("The co-author was removed."), "success")
    return redirect(url_for("studio.course", slug=slug))


@bp.route("/courses/<slug>/edit/<path:filename>", methods=["GET", "POST"])
@role_required(*STUDIO_ROLES)
def edit(slug, filename):
    """Edit one file in the browser: preview and check it, then save it as a new draft version."""
    course = _course_or_404(slug)
    latest = services.versions_of(course)[0]
    item = next((i for i in latest.items if i.filename == filename), None)
    if item is None and filename != "course.md":
        abort(404)
    original = item.source if item else latest.course_source
    form = forms.EditForm(source=original, base_version=latest.number)
    problems, html = [], ""
    if form.validate_on_submit():
        if form.base_version.data != str(latest.number):
            form.source.errors.append(_("Someone saved a newer version while you were editing. Copy your text, "
                                        "reload the page and apply your change again."))
        elif request.form.get("action") == "save":
            try:
                result = services.save_edit(current_user, course, latest, filename, form.source.data)
            except ValidationFailed as failed:
                db.session.rollback()
                problems = failed.problems
            else:
                db.session.commit()
                flash(_("Saved as draft version %(n)d.", n=result.version) if result.status != "unchanged"
                      else _("Nothing changed."), "success")
                return redirect(url_for("studio.course", slug=course.slug))
        if not problems:
            problems, html = services.preview(course, latest, filename, form.source.data)
    elif request.method == "GET":
        problems, html = services.preview(course, latest, filename, original)
    return render_template("studio/edit.html", course=course, latest=latest, filename=filename, form=form,
                           problems=problems, preview_html=html, line=request.args.get("line", type=int))


@bp.route("/courses/<slug>/publish/<int:number>", methods=["POST"])
@role_required(*STUDIO_ROLES)
def publish(slug, number):
    """Make a version the one learners get."""
    course = _course_or_404(slug)
    if forms.ConfirmForm().validate_on_submit():
        try:
            services.publish(course, number, by=current_user)
        except services.StudioError:
            abort(404)
        db.session.commit()
        flash(_("Version %(n)d is now published.", n=number), "success")
    return redirect(url_for("studio.course", slug=slug))


@bp.route("/courses/<slug>/unpublish", methods=["POST"])
@role_required(*STUDIO_ROLES)
def unpublish(slug):
    """Take a course out of the catalogue (learners' history is kept)."""
    course = _course_or_404(slug)
    if forms.ConfirmForm().validate_on_submit():
        services.unpublish(course, by=current_user)
        db.session.commit()
        flash(_("The course is no longer listed in the catalogue."), "success")
    return redirect(url_for("studio.course", slug=slug))


@bp.route("/courses/<slug>/download/<int:number>.zip")
@role_required(*STUDIO_ROLES)
def download(slug, number):
    """The package of one version as a .zip."""
    course = _course_or_404(slug)
    version = services.version_of(course, number)
    if version is None:
        abort(404)
    response = Response(exporter.export_to_zip(version), mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{course.slug}-v{number}.zip"'
    return response


@bp.route("/essays")
@role_required(*STUDIO_ROLES)
def essays():
    """Essays waiting for a grade in this trainer's courses."""
    return render_template("studio/essays.html", rows=essay_grading.queue(current_user))


@bp.route("/essays/<int:attempt_id>", methods=["GET", "POST"])
@role_required(*STUDIO_ROLES)
def grade_essay(attempt_id):
    """Grade the essays of one attempt with a comment; the score and pass state follow."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or not can_edit(current_user, attempt.quiz.version.course) or attempt.state == "in_progress":
        abort(404)
    form = forms.ConfirmForm()
    if form.validate_on_submit():
        positions = essay_grading.essay_positions(attempt)
        marks = {p: request.form.get(f"points-{p}", "") for p in positions}
        comments = {p: request.form.get(f"comment-{p}", "") for p in positions}
        try:
            essay_grading.record_marks(attempt, marks, comments)
        except essay_grading.GradingError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("The grade is saved."), "success")
            return redirect(url_for("studio.essays"))
    return render_template("studio/grade_essay.html", attempt=attempt, form=form,
                           positions=essay_grading.essay_positions(attempt),
                           learner=db.session.get(User, attempt.user_id))


@bp.route("/courses/<slug>/quizzes/<quiz_slug>/stats")
@role_required(*STUDIO_ROLES)
def quiz_stats(slug, quiz_slug):
    """Item analysis: attempts, score distribution and per-question facility and discrimination."""
    course = _course_or_404(slug)
    versions = item_analysis.quiz_versions(course, quiz_slug)
    quiz = next((q for q in versions if q.version.number == request.args.get("version", type=int)), None) \
        or (versions[0] if versions else None)
    if quiz is None:
        abort(404)
    first_only = request.args.get("attempts") == "first"
    stats = item_analysis.analyse_quiz(quiz, first_only=first_only)
    if request.args.get("format") == "csv":
        response = Response(item_analysis.csv_text(quiz, stats), mimetype="text/csv")
        response.headers["Content-Disposition"] = (
            f'attachment; filename="{course.slug}-{quiz.slug}-v{quiz.version.number}-statistics.csv"')
        return response
    return render_template("studio/quiz_stats.html", course=course, quiz=quiz, versions=versions, stats=stats,
                           bars=item_analysis.distribution_bars(stats), first_only=first_only)
