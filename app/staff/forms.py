"""Staff forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ConfirmForm(FlaskForm):
    """A button-only form: the CSRF token is what it carries."""


class RevokeForm(FlaskForm):
    code = StringField(_l("Certificate code"), filters=[_strip], validators=[DataRequired(), Length(max=40)])
    reason = TextAreaField(_l("Reason (shown to everyone who verifies it)"), filters=[_strip],
                           validators=[DataRequired(), Length(max=1000)])


class ManualIssueForm(FlaskForm):
    email = EmailField(_l("Learner's e-mail address"), filters=[_strip], validators=[DataRequired(), Length(max=254)])
    course = StringField(_l("Course slug"), filters=[_strip], validators=[DataRequired(), Length(max=80)])
    reason = TextAreaField(_l("Reason (recorded)"), filters=[_strip], validators=[DataRequired(), Length(max=2000)])
