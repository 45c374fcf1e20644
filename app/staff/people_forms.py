"""Forms for managing people and organisations."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField
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
