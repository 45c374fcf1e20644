"""Cohort forms: the cohort itself and the CSV upload."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.accounts.directory import organisation_choices
from app.accounts.forms import ChoiceField
from app.cohorts import services


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CohortForm(FlaskForm):
    name = StringField(_l("Name"), description=_l("E.g. “Plovdiv municipality — cyber hygiene — March 2027”."),
                       filters=[lambda v: v.strip() if v else v],
                       validators=[DataRequired(_l("Enter a name for the cohort.")), Length(max=200)])
    starts_on = DateField(_l("Start date"), validators=[DataRequired(_l("Enter the start date as YYYY-MM-DD."))])
    ends_on = DateField(_l("End date (optional)"), validators=[Optional()])
    courses = CheckboxesField(_l("Courses"), validators=[DataRequired(_l("Choose at least one course."))],
                              invalid_choice_message=_l("Choose courses from the list."))
    trainer_id = ChoiceField(_l("Trainer"), validators=[Optional()])
    organisation_id = ChoiceField(_l("Organisation"), validators=[Optional()],
                                  description=_l("Used for people in the file whose organisation is left empty."))

    def fill_choices(self):
        self.courses.choices = [SelectChoice(str(course.id), f"{course.current_version.title} ({course.slug})")
                                for course in services.course_choices() if course.current_version]
        self.trainer_id.choices = [SelectChoice("", _l("No trainer yet"))] + [
            SelectChoice(str(user_id), name) for user_id, name in services.trainer_choices()]
        self.organisation_id.choices = [SelectChoice("", _l("None"))] + [
            SelectChoice(str(org_id), name) for org_id, name in organisation_choices()]
        return self

    def values(self):
        return {
            "name": self.name.data, "starts_on": self.starts_on.data, "ends_on": self.ends_on.data,
            "course_ids": [int(value) for value in self.courses.data or [] if str(value).isdigit()],
            "trainer_id": int(self.trainer_id.data) if self.trainer_id.data else None,
            "organisation_id": int(self.organisation_id.data) if self.organisation_id.data else None,
        }


class ConfirmForm(FlaskForm):
    """A button-only form: the CSRF token is what it carries."""


class RosterForm(FlaskForm):
    roster = FileField(
        _l("List of learners (CSV)"),
        description=_l("Columns: full name, e-mail, organisation (optional). Save from Excel or LibreOffice as "
                       "CSV; commas or semicolons both work."),
        validators=[FileRequired(_l("Choose a CSV file to upload."))],
    )
