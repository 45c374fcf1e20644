"""Skills check forms. The ratings are read by scoring.read_answers (the statements come from the check);
the forms carry the CSRF token, the signed answers to keep, and the admin's minimum group size.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange


class CheckForm(FlaskForm):
    """The statements to rate; only the token is a field here."""


class KeepForm(FlaskForm):
    """"Keep this result": the answers travel back signed, so nothing was stored before."""

    answers = HiddenField(validators=[DataRequired(), Length(max=4000)])


class MinGroupForm(FlaskForm):
    """The smallest group the needs report shows."""

    size = IntegerField(_l("Smallest group shown in the needs report"),
                        description=_l("Figures for fewer people than this are never shown, on screen or in files. "
                                       "At least 2; 5 or more is recommended."),
                        validators=[InputRequired(_l("Enter a whole number.")),
                                    NumberRange(min=2, max=1000, message=_l("Enter a whole number from 2 to 1000."))])
