"""Language choice: the profile first, then the switcher, then the browser."""

from flask import current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user


def select_locale():
    """Flask-Babel's locale selector."""
    languages = current_app.config["LANGUAGES"]
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():  # CLI commands and e-mails outside requests
        return default
    if current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    chosen = session.get("language")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(list(languages)) or default


def localized_setting(key, language):
    """A branding setting in a language: `KEY_BG` for Bulgarian when it is set, else `KEY`."""
    config = current_app.config
    return config.get(f"{key}_{(language or '').upper()}") or config[key]


def template_context():
    """Values every template needs for the language switch, the <html lang> and the hub's name."""
    language = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    return {
        "current_language": language,
        "languages": current_app.config["LANGUAGES"],
        "hub_name": localized_setting("HUB_NAME", language),
    }
