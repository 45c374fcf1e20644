"""Learning forms: buttons only; the CSRF token is what they carry."""

from flask_wtf import FlaskForm


class ActionForm(FlaskForm):
    """Enrol, leave, mark complete: a button that posts a CSRF token."""
