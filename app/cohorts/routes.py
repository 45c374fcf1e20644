"""Cohort pages: staff create cohorts and enrol people from CSV; trainers follow their progress."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app import tabular
from app.cohorts import bp, matrix, roster, services
from app.cohorts.forms import CohortForm, ConfirmForm, RosterForm
from app.cohorts.models import Cohort, RosterUpload
from app.extensions import db
from app.security import role_required


@bp.route("/staff/cohorts")
@role_required("staff")
def index():
    cohorts = services.visible_cohorts(current_user)
    return render_template("cohorts/index.html", cohorts=cohorts,
                           counts=services.member_counts([cohort.id for cohort in cohorts]))


@bp.route("/staff/cohorts/new", methods=["GET", "POST"])
@role_required("staff")
def create():
    return _edit_form(None)


@bp.route("/staff/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@role_required("staff")
def edit(cohort_id):
    return _edit_form(db.get_or_404(Cohort, cohort_id))


def _edit_form(cohort):
    form = CohortForm(obj=cohort).fill_choices()
    if cohort is not None and request.method == "GET":
        form.courses.data = [str(course.id) for course in cohort.courses]
        form.trainer_id.data = str(cohort.trainer_id or "")
        form.organisation_id.data = str(cohort.organisation_id or "")
    if form.validate_on_submit():
        try:
            cohort = services.save_cohort(**form.values(), cohort=cohort, by=current_user)
        except services.CohortError as error:
            db.session.rollback()
            getattr(form, error.field or "name").errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("The cohort was saved."), "success")
            return redirect(url_for("cohorts.show", cohort_id=cohort.id))
    return render_template("cohorts/edit.html", form=form, cohort=cohort)


@bp.route("/staff/cohorts/<int:cohort_id>")
@role_required("staff")
def show(cohort_id):
    cohort = db.get_or_404(Cohort, cohort_id)
    return render_template("cohorts/show.html", cohort=cohort, form=RosterForm(), confirm=ConfirmForm(),
                           pending=services.pending_invitations(cohort))


@bp.route("/staff/cohorts/<int:cohort_id>/upload", methods=["POST"])
@role_required("staff")
def upload(cohort_id):
    """Keep the file and show what would happen to each row; nothing changes yet."""
    cohort = db.get_or_404(Cohort, cohort_id)
    form = RosterForm()
    if form.validate_on_submit():
        data = form.roster.data.read(roster.MAX_BYTES + 1)
        try:
            stored = services.store_upload(cohort, form.roster.data.filename, data, current_user)
        except roster.RosterError as error:
            db.session.rollback()
            return render_template("cohorts/show.html", cohort=cohort, form=form, confirm=ConfirmForm(),
                                   pending=services.pending_invitations(cohort), problems=error.problems), 422
        db.session.commit()
        return redirect(url_for("cohorts.preview", cohort_id=cohort.id, upload_id=stored.id))
    return render_template("cohorts/show.html", cohort=cohort, form=form, confirm=ConfirmForm(),
                           pending=services.pending_invitations(cohort)), 422


def _upload_of(cohort_id, upload_id):
    stored = db.get_or_404(RosterUpload, upload_id)
    if stored.cohort_id != cohort_id:
        abort(404)
    return stored


@bp.route("/staff/cohorts/<int:cohort_id>/upload/<int:upload_id>", methods=["GET", "POST"])
@role_required("staff")
def preview(cohort_id, upload_id):
    """The preview; confirming creates accounts, invitations and enrolments in one transaction."""
    cohort = db.get_or_404(Cohort, cohort_id)
    stored = _upload_of(cohort_id, upload_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            summary, invitations = services.apply_upload(stored, current_user)
        except services.CohortError as error:
            db.session.rollback()
            flash(str(error.message), "error")
            return redirect(url_for("cohorts.show", cohort_id=cohort.id))
        db.session.commit()
        _send(invitations)
        flash(_("Enrolled: %(enrolled)d (new accounts invited by e-mail: %(invited)d). Rows skipped: %(skipped)d.",
                enrolled=summary["invite"] + summary["enrol"], invited=summary["invite"], skipped=summary["skip"]),
              "success")
        return redirect(url_for("cohorts.show", cohort_id=cohort.id))
    if stored.applied_at is not None:
        flash(_("This file has already been used. Upload it again to see a new preview."), "info")
        return redirect(url_for("cohorts.show", cohort_id=cohort.id))
    return render_template("cohorts/preview.html", cohort=cohort, upload=stored, form=form,
                           plan=services.plan(cohort, stored.content))


def _send(invitations):
    if invitations:
        services.send_invitations_in_background(current_app._get_current_object(), invitations, current_user)


@bp.route("/staff/cohorts/<int:cohort_id>/invitations", methods=["POST"])
@role_required("staff")
def resend_invitations(cohort_id):
    """Send new invitation links to members who have not set a password yet."""
    cohort = db.get_or_404(Cohort, cohort_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    invitations = services.renew_invitations(services.pending_invitations(cohort))
    db.session.commit()
    _send(invitations)
    flash(ngettext("A new invitation is on its way to %(num)d person.",
                   "New invitations are on their way to %(num)d people.", len(invitations)), "success")
    return redirect(url_for("cohorts.show", cohort_id=cohort.id))


@bp.route("/trainer/cohorts")
@role_required("trainer", "staff")
def trainer_index():
    cohorts = services.visible_cohorts(current_user)
    return render_template("cohorts/trainer_index.html", cohorts=cohorts,
                           counts=services.member_counts([cohort.id for cohort in cohorts]))


@bp.route("/trainer/cohorts/<int:cohort_id>")
@role_required("trainer", "staff")
def progress(cohort_id):
    """Learners × lessons and quizzes, with a CSV export of the same figures."""
    cohort = db.get_or_404(Cohort, cohort_id)
    if not services.can_view(current_user, cohort):
        abort(403)
    columns, rows = matrix.build(cohort)
    if request.args.get("format") == "csv":
        labels = {"name": _("Name"), "email": _("E-mail address"), "organisation": _("Organisation"),
                  "completed": _("Completed"), "done": _("done"), "yes": _("yes"), "no": _("no")}
        header, body = matrix.csv_table(columns, rows, labels)
        return tabular.csv_download(f"cohort-{cohort.id}-progress.csv", header, body)
    return render_template("cohorts/progress.html", cohort=cohort, columns=columns, rows=rows)
