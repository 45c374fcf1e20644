"""Forms for managing people and organisations."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from app.accounts.models import ORGANISATION_KINDS


def _strip(value):
    return value.strip() if isinstance(value, str) else value


ROLE_LABELS = {
    "learner": _l("Learner"),
    "trainer": _l("Trainer"),
    "staff": _l("Hub staff"),
    "admin": _l("Administrator"),
}
KIND_LABELS = {
    "municipality": _l("Municipality"),
    "region": _l("Region"),
    "agency": _l("Agency"),
    "other": _l("Other"),
}


class RoleForm(FlaskForm):
    role = RadioField(_l("Role"), choices=[SelectChoice(value, label) for value, label in ROLE_LABELS.items()],
                      validators=[DataRequired()])


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), filters=[_strip], validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=[SelectChoice(kind, KIND_LABELS[kind]) for kind in ORGANISATION_KINDS])
    country = StringField(_l("Country code"), description=_l("Two letters, e.g. BG, GR, RO."), default="BG",
                          filters=[_strip], validators=[DataRequired(), Length(min=2, max=2)])


ACCOMMODATION_LABELS = {
    "": _l("Standard time"),
    "25": _l("25% more time"),
    "50": _l("50% more time"),
    "100": _l("Double time"),
    "none": _l("No time limit"),
}


class AccommodationForm(FlaskForm):
    time_accommodation = RadioField(
        _l("Time in timed quizzes"),
        choices=[SelectChoice(value, label) for value, label in ACCOMMODATION_LABELS.items()],
        description=_l("For people who need more time, e.g. because of a disability. It applies to quizzes "
                       "they start from now on."),
    )


class EraseForm(FlaskForm):
    """Erase a person's account on their request (staff); the checkbox stands for the check of the request."""

    confirm = BooleanField(_l("The person has asked for their account to be erased, and I have checked "
                              "that the request comes from them"),
                           validators=[DataRequired(_l("Confirm that the person asked for the erasure."))])
    withdraw_certificates = BooleanField(_l("Also withdraw their certificates (they asked for this too)"),
                                         description=_l("They will show as revoked to anyone who checks them."))
