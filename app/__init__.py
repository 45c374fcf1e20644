"""Cyber4All Academy: the application factory."""

from pathlib import Path

from flask import Flask
from flask_babel import lazy_gettext as _l
from werkzeug.middleware.proxy_fix import ProxyFix

from app import audit, database, static_files  # noqa: F401  (audit model, engine listeners)
from app.errors import register_error_handlers
from app.extensions import babel, csrf, db, limiter, login_manager, migrate
from app.i18n import select_locale, template_context
from app.security import reject_nul_bytes, set_security_headers
from config import INSTANCE_DIR, development_secret_key, load_config


def create_app(config=None):
    """Build the app: configuration, extensions, blueprints, CLI commands, error handlers."""
    app = Flask(__name__, instance_path=str(INSTANCE_DIR), instance_relative_config=True)
    configure(app, config)
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    register_error_handlers(app)
    app.before_request(reject_nul_bytes)
    app.after_request(set_security_headers)
    static_files.register(app)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.context_processor(template_context)
    return app


def configure(app, config):
    """Load the config class (or mapping) and check what production requires."""
    if config is None or isinstance(config, str):
        config = load_config(config)
    if isinstance(config, dict):
        app.config.from_object(load_config(config.get("ACADEMY_ENV", "testing")))
        app.config.update(config)
    else:
        app.config.from_object(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        if app.config["ENV_NAME"] == "production":
            raise RuntimeError("SECRET_KEY must be set in the environment in production.")
        app.config["SECRET_KEY"] = development_secret_key(app.instance_path)
    if app.config.get("PROXY_FIX_X_FOR"):
        count = app.config["PROXY_FIX_X_FOR"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=0)


def register_extensions(app):
    """Bind the unbound extensions from app.extensions."""
    from app.accounts.sessions import load_session_user

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_session_user)


def register_blueprints(app):
    """Mount each feature's blueprint."""
    from app.accounts import bp as accounts_bp
    from app.api import bp as api_bp
    from app.certificates import bp as certificates_bp
    from app.cohorts import bp as cohorts_bp
    from app.content import bp as content_bp
    from app.learning import bp as learning_bp
    from app.pages import bp as pages_bp
    from app.quizzes import bp as quizzes_bp
    from app.skills import bp as skills_bp
    from app.staff import bp as staff_bp
    from app.studio import bp as studio_bp

    app.register_blueprint(pages_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(content_bp)
    app.register_blueprint(learning_bp)
    app.register_blueprint(quizzes_bp)
    app.register_blueprint(certificates_bp)
    app.register_blueprint(skills_bp)
    app.register_blueprint(studio_bp)
    app.register_blueprint(cohorts_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(api_bp)


def register_commands(app):
    """Add the `flask` CLI groups."""
    from app.accounts.cli import accounts_cli, users_cli
    from app.audit import audit_cli
    from app.backup import backup_command, restore_command
    from app.certificates.cli import certificates_cli
    from app.content.cli import courses_cli
    from app.demo import demo_command
    from app.quizzes.cli import quiz_cli
    from app.skills.cli import skills_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(accounts_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(courses_cli)
    app.cli.add_command(quiz_cli)
    app.cli.add_command(certificates_cli)
    app.cli.add_command(skills_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
