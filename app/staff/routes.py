"""Staff pages: the certificate review queue, manual issue and revocation; site settings (admins)."""

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.accounts.forms import SiteSettingsForm
from app.accounts.settings import registration_mode, retention_months, set_registration_mode, set_retention_months
from app.certificates import bulk, codes
from app.certificates import services as cert_services
from app.certificates.models import BulkJob
from app.cohorts import services as cohort_services
from app.cohorts.models import Cohort
from app.extensions import db
from app.security import role_required
from app.staff import bp
from app.staff.forms import ConfirmForm, ManualIssueForm, RevokeForm


@bp.route("/settings", methods=["GET", "POST"])
@role_required("admin")
def settings():
    """Open or close self-registration; how long unused learner accounts are kept."""
    form = SiteSettingsForm(mode=registration_mode(), retention_months=str(retention_months()))
    if form.validate_on_submit():
        set_registration_mode(form.mode.data)
        set_retention_months(form.months)
        db.session.commit()
        flash(_("The settings have been saved."), "success")
        return redirect(url_for("staff.settings"))
    return render_template("staff/settings.html", form=form)


@bp.route("/certificates", methods=["GET", "POST"])
@role_required("staff")
def certificates():
    """The review queue: completed learners waiting for a certificate; issue one, several or all."""
    form = ConfirmForm()
    if form.validate_on_submit():
        chosen = {int(value) for value in request.form.getlist("completion") if value.isdigit()}
        waiting = {completion.id: completion for completion, _user, _version in cert_services.awaiting_staff()}
        if request.form.get("action") == "all":
            chosen = set(waiting)
        issued = 0
        for completion_id in sorted(chosen & set(waiting)):
            cert_services.issue_from_completion(waiting[completion_id], issued_by=current_user)
            issued += 1
        db.session.commit()
        flash(ngettext("%(num)d certificate issued.", "%(num)d certificates issued.", issued), "success")
        return redirect(url_for("staff.certificates"))
    return render_template("staff/certificates.html", rows=cert_services.awaiting_staff(), form=form,
                           revoke_form=RevokeForm(), issue_form=ManualIssueForm())


@bp.route("/certificates/revoke", methods=["POST"])
@role_required("staff")
def revoke_certificate():
    """Revoke by code with a reason that verifiers will see."""
    form = RevokeForm()
    if form.validate_on_submit():
        certificate = cert_services.find(form.code.data)
        try:
            if certificate is None:
                raise cert_services.CertificateError(_("No certificate has this code."))
            cert_services.revoke(certificate, form.reason.data, by=current_user)
        except cert_services.CertificateError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("The certificate is revoked."), "success")
    else:
        flash(_("Enter the code and the reason."), "error")
    return redirect(url_for("staff.certificates"))


@bp.route("/certificates/issue", methods=["POST"])
@role_required("staff")
def issue_certificate():
    """Issue or re-issue by hand for a learner's completion, with a recorded reason."""
    form = ManualIssueForm()
    if not form.validate_on_submit():
        flash(_("Enter the learner's e-mail, the course and the reason."), "error")
        return redirect(url_for("staff.certificates"))
    try:
        certificate = cert_services.issue_by_hand(form.email.data, form.course.data, form.reason.data, current_user)
    except cert_services.CertificateError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("Certificate %(code)s issued.", code=codes.formatted(certificate.code)), "success")
    return redirect(url_for("staff.certificates"))


@bp.route("/certificates/bulk", methods=["GET", "POST"])
@role_required("staff")
def bulk_certificates():
    """Issue for everyone who completed a course and get all the PDFs in one ZIP."""
    form = ConfirmForm()
    courses = bulk.course_choices()
    cohort_id = request.values.get("cohort", "")
    cohort = db.session.get(Cohort, int(cohort_id)) if cohort_id.isdigit() and len(cohort_id) < 10 else None
    if cohort is not None:
        courses = [course for course in courses if course in cohort.courses]
    if form.validate_on_submit():
        course = next((c for c in courses if str(c.id) == request.form.get("course")), None)
        if course is None:
            flash(_("Choose a course from the list."), "error")
            return redirect(url_for("staff.bulk_certificates", cohort=cohort.id if cohort else None))
        members = cohort_services.member_ids(cohort) if cohort is not None else None
        job = bulk.start(course, current_user, learners=members)
        db.session.commit()
        bulk.run_in_background(current_app._get_current_object(), job.id)
        return redirect(url_for("staff.bulk_job", job_id=job.id))
    return render_template("staff/bulk.html", courses=courses, form=form, cohort=cohort)


@bp.route("/certificates/bulk/<int:job_id>")
@role_required("staff")
def bulk_job(job_id):
    """Progress of a bulk job, and the ZIP when it is ready."""
    job = db.get_or_404(BulkJob, job_id)
    if request.args.get("format") == "json":
        return jsonify(state=job.state, done=job.done, total=len(job.certificate_ids), failed=len(job.failures))
    return render_template("staff/bulk_job.html", job=job)


@bp.route("/certificates/bulk/<int:job_id>.zip")
@role_required("staff")
def bulk_archive(job_id):
    """The PDFs of a finished job."""
    job = db.get_or_404(BulkJob, job_id)
    if job.archive is None:
        abort(404)
    response = current_app.response_class(job.archive, mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="certificates-{job.id}.zip"'
    return response
