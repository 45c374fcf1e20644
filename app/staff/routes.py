"""Site settings (admins only)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.accounts.forms import RegistrationModeForm
from app.accounts.settings import registration_mode, set_registration_mode
from app.extensions import db
from app.security import role_required
from app.staff import bp


@bp.route("/settings", methods=["GET", "POST"])
@role_required("admin")
def settings():
    """Open or close self-registration."""
    form = RegistrationModeForm(mode=registration_mode())
    if form.validate_on_submit():
        set_registration_mode(form.mode.data)
        db.session.commit()
        flash(_("The settings have been saved."), "success")
        return redirect(url_for("staff.settings"))
    return render_template("staff/settings.html", form=form)
