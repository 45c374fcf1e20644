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


# ---------- Report filters (app/staff/report_routes.py) ----------
from datetime import date  # noqa: E402

from wtforms import DateField, SelectField  # noqa: E402
from wtforms.validators import Optional, ValidationError  # noqa: E402

REPORT_FIRST_DAY = date(1970, 1, 1)
REPORT_LAST_DAY = date(2999, 12, 31)


class _IsoDateField(DateField):
    """A date typed as year-month-day, with a message that shows the expected form."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Enter a real date as year-month-day, for example 2027-03-31.")) from None


class ReportFilterForm(FlaskForm):
    """The report filters, read from the query string (a GET form, so no CSRF token)."""

    class Meta:
        csrf = False

    start = _IsoDateField(_l("From"), name="from", validators=[Optional()],
                          description=_l("The first day of the period. Leave empty for no limit."))
    end = _IsoDateField(_l("To"), name="to", validators=[Optional()],
                        description=_l("The last day, included. Leave empty for no limit."))
    organisation = SelectField(_l("Organisation"), validate_choice=False, default="")

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation.choices = [("", _l("All organisations")), ("none", _l("No organisation"))] + [
            (str(organisation_id), name) for organisation_id, name in organisations]

    def validate_start(self, field):
        if field.data and not REPORT_FIRST_DAY <= field.data <= REPORT_LAST_DAY:
            raise ValidationError(_l("Enter a date between 1970 and 2999."))

    def validate_end(self, field):
        if field.data and not REPORT_FIRST_DAY <= field.data <= REPORT_LAST_DAY:
            raise ValidationError(_l("Enter a date between 1970 and 2999."))
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The “To” date must not be before the “From” date."))

    def validate_organisation(self, field):
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Choose an organisation from the list."))
