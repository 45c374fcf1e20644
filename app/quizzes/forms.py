"""Quiz forms: the CSRF token; answers are read per question from the posted fields."""

from flask_wtf import FlaskForm


class AttemptForm(FlaskForm):
    """Start, save, submit: the token is what the form carries."""
