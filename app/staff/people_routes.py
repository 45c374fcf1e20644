"""Staff pages for people and organisations; admins change roles."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts import directory, erasure
from app.accounts import services as accounts
from app.accounts.models import Organisation, User
from app.certificates import services as certificates
from app.extensions import db
from app.learning.models import Enrolment
from app.security import role_required
from app.staff import bp
from app.staff.forms import ConfirmForm
from app.staff.people_forms import (
    ACCOMMODATION_LABELS,
    KIND_LABELS,
    ROLE_LABELS,
    AccommodationForm,
    EraseForm,
    OrganisationForm,
    RoleForm,
)


def _page():
    value = request.args.get("page", "1")
    return int(value) if value.isdigit() and 0 < len(value) < 7 and int(value) > 0 else 1


@bp.route("/people")
@role_required("staff")
def people():
    """Search and filter everyone with an account."""
    filters = directory.PeopleFilter.from_args(request.args)
    return render_template("staff/people.html", filters=filters, results=directory.search_people(filters, _page()),
                           organisations=directory.organisation_choices(), role_labels=ROLE_LABELS)


@bp.route("/people/<int:user_id>")
@role_required("staff")
def person(user_id):
    """One person: role, status, courses and certificates; actions by permission."""
    user = db.get_or_404(User, user_id)
    enrolments = db.session.scalars(db.select(Enrolment).where(Enrolment.user_id == user.id)
                                    .order_by(Enrolment.enrolled_at.desc())).all()
    return render_template("staff/person.html", person=user, enrolments=enrolments,
                           certificates=certificates.of_user(user.id), role_form=RoleForm(role=user.role),
                           form=ConfirmForm(), role_labels=ROLE_LABELS, accommodation_labels=ACCOMMODATION_LABELS,
                           accommodation_form=AccommodationForm(time_accommodation=user.time_accommodation))


@bp.route("/people/<int:user_id>/role", methods=["POST"])
@role_required("admin")
def change_role(user_id):
    user = db.get_or_404(User, user_id)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            accounts.set_role(user, form.role.data, by=current_user)
        except accounts.AccountError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("%(name)s is now: %(role)s.", name=user.full_name, role=ROLE_LABELS[user.role]), "success")
    else:
        flash(_("Choose a role."), "error")
    return redirect(url_for("staff.person", user_id=user.id))


@bp.route("/people/<int:user_id>/time", methods=["POST"])
@role_required("staff")
def change_time_accommodation(user_id):
    """Extra time (or no limit) in timed quizzes, as an accommodation."""
    user = db.get_or_404(User, user_id)
    form = AccommodationForm()
    if form.validate_on_submit():
        accounts.set_time_accommodation(user, form.time_accommodation.data, by=current_user)
        db.session.commit()
        flash(_("%(name)s now has: %(time)s.", name=user.full_name,
                time=ACCOMMODATION_LABELS[user.time_accommodation]), "success")
    else:
        flash(_("Choose one of the options."), "error")
    return redirect(url_for("staff.person", user_id=user.id))


@bp.route("/people/<int:user_id>/status", methods=["POST"])
@role_required("staff")
def change_status(user_id):
    """Deactivate (ends every session at once) or reactivate an account."""
    user = db.get_or_404(User, user_id)
    form = ConfirmForm()
    action = request.form.get("action")
    if not form.validate_on_submit() or action not in ("deactivate", "reactivate"):
        abort(400)
    try:
        accounts.set_active(user, action == "reactivate", by=current_user)
    except accounts.AccountError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        if user.active:
            flash(_("%(name)s can sign in again.", name=user.full_name), "success")
        else:
            flash(_("%(name)s can no longer sign in and has been signed out everywhere.", name=user.full_name),
                  "success")
    return redirect(url_for("staff.person", user_id=user.id))


@bp.route("/people/<int:user_id>/erase", methods=["GET", "POST"])
@role_required("staff")
def erase_person(user_id):
    """Erase an account on the person's request (audited); nobody erases their own account here."""
    user = db.get_or_404(User, user_id)
    form = EraseForm()
    if form.validate_on_submit():
        try:
            erasure.check_staff_may_erase(user, current_user)
            erasure.erase_account(user, origin="staff", by=current_user,
                                  withdraw_certificates=form.withdraw_certificates.data)
        except erasure.ErasureError as error:
            db.session.rollback()
            flash(str(error.message), "error")
            return redirect(url_for("staff.person", user_id=user.id))
        db.session.commit()
        flash(_("The account has been erased; it is now “%(name)s”.", name=user.full_name), "success")
        return redirect(url_for("staff.person", user_id=user.id))
    refusal = None
    try:
        erasure.check_staff_may_erase(user, current_user)
    except erasure.ErasureError as error:
        refusal = error.message
    return render_template("staff/erase_person.html", person=user, form=form, refusal=refusal,
                           pseudonym=erasure.pseudonym(user.id))


@bp.route("/organisations", methods=["GET", "POST"])
@role_required("staff")
def organisations():
    """All organisations with their number of people, and a form to add one."""
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            organisation = accounts.save_organisation(form.name.data, form.kind.data, form.country.data,
                                                      by=current_user)
        except accounts.AccountError as error:
            db.session.rollback()
            getattr(form, error.field or "name").errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("%(name)s was added.", name=organisation.name), "success")
            return redirect(url_for("staff.organisations"))
    return render_template("staff/organisations.html", rows=directory.organisations_with_counts(), form=form,
                           kind_labels=KIND_LABELS)


@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
@role_required("staff")
def organisation(organisation_id):
    """Rename an organisation or correct its kind or country."""
    record = db.get_or_404(Organisation, organisation_id)
    form = OrganisationForm(obj=record)
    if form.validate_on_submit():
        try:
            accounts.save_organisation(form.name.data, form.kind.data, form.country.data, record, by=current_user)
        except accounts.AccountError as error:
            db.session.rollback()
            getattr(form, error.field or "name").errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("The organisation was saved."), "success")
            return redirect(url_for("staff.organisations"))
    return render_template("staff/organisation.html", organisation=record, form=form)
