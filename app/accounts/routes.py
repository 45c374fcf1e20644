"""Account pages: thin views that parse a form, call one service, commit and redirect."""

import json

from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.accounts import api_tokens, bp, erasure, forms, privacy, services, sessions
from app.accounts.settings import registration_mode
from app.accounts.throttling import Throttled
from app.accounts.tokens import find_valid_token
from app.errors import render_error
from app.extensions import db, limiter
from app.security import role_required, safe_next_url


def _sign_in(user, remember=False):
    sessions.start_session(user)
    login_user(user, remember=remember)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in; the same message for an unknown address and a wrong password."""
    if current_user.is_authenticated:
        return redirect(safe_next_url(request.args.get("next"), url_for("content.catalogue")))
    form = forms.LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data, request.remote_addr)
        except Throttled as throttled:
            db.session.commit()
            minutes = max(1, round(throttled.retry_after / 60))
            message = _("Too many failed sign-in attempts. Wait %(minutes)d minutes, "
                        "or reset your password.", minutes=minutes)
            return render_error(429, message, retry_after=throttled.retry_after)
        if user is None:
            db.session.commit()
            form.password.errors.append(_("We could not sign you in with that e-mail address and password."))
            return render_template("accounts/login.html", form=form, login_failed=True), 200
        _sign_in(user, remember=form.remember.data)
        db.session.commit()
        return redirect(safe_next_url(form.next.data, url_for("content.catalogue")))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out and revoke this browser's session on the server."""
    if current_user.is_authenticated:
        sessions.end_session(current_user.login_token)
        db.session.commit()
    logout_user()
    flash(_("You have signed out."), "success")
    return redirect(url_for("content.catalogue"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTRATIONS_PER_ADDRESS"], methods=["POST"])
def register():
    """Create a learner account when registration is open."""
    if current_user.is_authenticated:
        return redirect(url_for("content.catalogue"))
    if registration_mode() != "open":
        return render_template("accounts/register_closed.html")
    form = forms.RegisterForm().fill_choices()
    if request.method == "GET":
        form.language.data = request.accept_languages.best_match(list(current_app.config["LANGUAGES"])) or "bg"
    if form.validate_on_submit():
        try:
            user = services.register(form.email.data, form.full_name.data, form.password.data,
                                     form.organisation_value, form.language.data)
        except services.AccountError as error:
            db.session.rollback()
            getattr(form, error.field or "email").errors.append(str(error.message))
        else:
            _sign_in(user)
            db.session.commit()
            flash(_("Welcome! Your account is ready."), "success")
            return redirect(url_for("content.catalogue"))
    return render_template("accounts/register.html", form=form)


@bp.route("/reset", methods=["GET", "POST"])
def reset_request():
    """Ask for a reset link; the answer never says whether the address has an account."""
    form = forms.ResetRequestForm()
    if form.validate_on_submit():
        try:
            services.request_password_reset(form.email.data, request.remote_addr)
        except Throttled as throttled:
            return render_error(429, retry_after=throttled.retry_after)
        db.session.commit()
        return render_template("accounts/reset_sent.html", email=form.email.data)
    return render_template("accounts/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    """Choose a new password from an e-mailed link."""
    if find_valid_token(token, "reset") is None:
        return render_template("accounts/link_invalid.html"), 404
    form = forms.ResetPasswordForm()
    if form.validate_on_submit():
        user = services.reset_password(token, form.password.data)
        if user is None:
            db.session.rollback()
            return render_template("accounts/link_invalid.html"), 404
        db.session.commit()
        logout_user()
        flash(_("Your password has been changed. Sign in with the new password."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token):
    """Accept an invitation: confirm the name and choose a password."""
    invited = services.invitation_user(token)
    if invited is None:
        return render_template("accounts/link_invalid.html"), 404
    form = forms.AcceptInvitationForm(full_name=invited.full_name)
    if form.validate_on_submit():
        user = services.accept_invitation(token, form.full_name.data, form.password.data)
        if user is None:
            db.session.rollback()
            return render_template("accounts/link_invalid.html"), 404
        logout_user()
        _sign_in(user)
        db.session.commit()
        flash(_("Welcome! Your account is ready."), "success")
        return redirect(url_for("content.catalogue"))
    return render_template("accounts/accept_invitation.html", form=form, invited=invited)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    """Name as printed on certificates, organisation and language (and API tokens for staff)."""
    form = forms.ProfileForm(obj=current_user).fill_choices()
    if request.method == "GET":
        form.organisation_id.data = str(current_user.organisation_id or "")
        form.language.data = current_user.language or current_app.config["BABEL_DEFAULT_LOCALE"]
    if form.validate_on_submit():
        try:
            services.update_profile(current_user, form.full_name.data, form.organisation_value,
                                    form.language.data)
        except services.AccountError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("Your profile has been saved."), "success")
            return redirect(url_for("accounts.profile"))
    return _render_profile(form)


def _render_profile(form=None, token_form=None, new_secret=None):
    """The profile page; staff and admins also see their API tokens."""
    if form is None:
        form = forms.ProfileForm(formdata=None, obj=current_user).fill_choices()
        form.organisation_id.data = str(current_user.organisation_id or "")
        form.language.data = current_user.language or current_app.config["BABEL_DEFAULT_LOCALE"]
    tokens = None
    if api_tokens.may_hold_tokens(current_user):
        tokens = api_tokens.of_user(current_user)
        token_form = token_form or forms.ApiTokenForm(formdata=None)
    return render_template("accounts/profile.html", form=form, tokens=tokens, token_form=token_form,
                           new_secret=new_secret, export_form=forms.ExportForm(formdata=None),
                           may_erase=erasure.may_erase_from_profile(current_user))


@bp.route("/profile/data", methods=["POST"])
@login_required
def export_data():
    """Download everything the platform holds about me as JSON (GDPR Art. 15 and 20)."""
    if not forms.ExportForm().validate_on_submit():
        abort(400)
    document = privacy.export_personal_data(current_user)
    response = current_app.response_class(json.dumps(document, ensure_ascii=False, indent=2),
                                          mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{privacy.download_name()}"'
    response.headers["Cache-Control"] = "no-store"  # personal data must not stay in shared caches
    return response


@bp.route("/erase", methods=["GET", "POST"])
@login_required
def erase():
    """Erase my account: what happens, the password, then signed out everywhere at once."""
    if not erasure.may_erase_from_profile(current_user):
        return render_template("accounts/erase.html", form=None), 403
    form = forms.EraseAccountForm()
    if form.validate_on_submit():
        try:
            erasure.erase_own_account(current_user._get_current_object(), form.password.data,
                                      withdraw_certificates=form.withdraw_certificates.data)
        except erasure.ErasureError as error:
            db.session.rollback()
            form.password.errors.append(str(error.message))
        else:
            db.session.commit()
            logout_user()
            flash(_("Your account has been erased. Thank you for learning with us."), "success")
            return redirect(url_for("content.catalogue"))
    return render_template("accounts/erase.html", form=form, pseudonym=erasure.pseudonym(current_user.id))


@bp.route("/api-tokens", methods=["POST"])
@role_required("staff")
def create_api_token():
    """Create a personal API token and show its secret this once (never stored, never redirected)."""
    token_form = forms.ApiTokenForm()
    if token_form.validate_on_submit():
        try:
            _token, secret = api_tokens.create(current_user, token_form.name.data, token_form.scope.data)
        except api_tokens.ApiTokenError as error:
            db.session.rollback()
            getattr(token_form, error.field).errors.append(str(error.message))
        else:
            db.session.commit()
            response = make_response(_render_profile(new_secret=secret))
            response.headers["Cache-Control"] = "no-store"
            return response
    return _render_profile(token_form=token_form)


@bp.route("/api-tokens/<int:token_id>/revoke", methods=["POST"])
@role_required("staff")
def revoke_api_token(token_id):
    """Revoke one of your own API tokens; systems using it are refused from now on (CSRF is checked globally)."""
    token = api_tokens.find_own(current_user, token_id)
    if token is None:
        abort(404)
    api_tokens.revoke(token, by=current_user)
    db.session.commit()
    flash(_("The token “%(name)s” is revoked.", name=token.name), "success")
    return redirect(url_for("accounts.profile", _anchor="api-tokens"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password; every other signed-in browser is signed out."""
    form = forms.ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except services.AccountError as error:
            db.session.rollback()
            form.current_password.errors.append(str(error.message))
        else:
            _sign_in(current_user._get_current_object())
            db.session.commit()
            flash(_("Your password has been changed. Other computers have been signed out."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form)

