"""Studio pages (trainers for their courses; staff and admins for all)."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.content import exporter
from app.content.package import PackageError
from app.content.problems import ValidationFailed
from app.extensions import db
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
    problems = []
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
    return render_template("studio/upload.html", form=form, problems=problems)


@bp.route("/courses/<slug>")
@role_required(*STUDIO_ROLES)
def course(slug):
    """Version history, files of the newest version, publish and download."""
    course = _course_or_404(slug)
    versions = services.versions_of(course)
    return render_template("studio/course.html", course=course, versions=versions, latest=versions[0],
                           form=forms.ConfirmForm(), editors=services.editors_of(course),
                           editor_form=forms.AddEditorForm())


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
            services.publish(course, number)
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
        services.unpublish(course)
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
