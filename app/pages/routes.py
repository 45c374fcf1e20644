"""Home page, language switch, brand stylesheet and /healthz."""

from flask import Response, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import text

from app.accounts.forms import LanguageForm
from app.accounts.settings import retention_months
from app.extensions import csrf, db
from app.pages import bp
from app.pages.branding import brand_css
from app.security import safe_next_url

STATEMENT_LANGUAGES = ("bg", "en")  # the statement is written, not translated: one template per language


@bp.route("/language", methods=["POST"])
def set_language():
    """Switch the interface language; signed-in users keep the choice in their profile."""
    form = LanguageForm()
    back = safe_next_url(form.next.data, url_for("content.catalogue"))
    language = form.language.data
    if form.validate_on_submit() and language in current_app.config["LANGUAGES"]:
        session["language"] = language
        if current_user.is_authenticated:
            current_user.language = language
            db.session.commit()
    return redirect(back)


@bp.route("/accessibility")
def accessibility():
    """The accessibility statement the Web Accessibility Directive requires, in the page's language."""
    language = str(get_locale() or "en")
    return render_template("pages/accessibility.html", site_url=current_app.config["SERVER_URL"],
                           statement_language=language if language in STATEMENT_LANGUAGES else "en")


@bp.route("/privacy")
def privacy():
    """The privacy notice (GDPR Art. 13), written in each language, with the configured retention period."""
    language = str(get_locale() or "en")
    return render_template("pages/privacy.html", retention_months=retention_months(),
                           notice_language=language if language in STATEMENT_LANGUAGES else "en")


@bp.route("/brand.css")
def brand_stylesheet():
    """The configured colours; cached by the browser for a day."""
    response = Response(brand_css(current_app.config), mimetype="text/css")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


@bp.route("/healthz")
@csrf.exempt
def healthz():
    """Liveness and database check for load balancers and monitoring."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means "not healthy"
        db.session.rollback()
        current_app.logger.exception("Health check: database unavailable")
        return jsonify(status="error", database="unavailable"), 503
    return jsonify(status="ok", database="ok")


@bp.app_template_global()
def current_path():
    """The current path with its query, for `next` fields."""
    return request.full_path.rstrip("?")
