"""Account forms; every message is translatable and every field is checked on the server."""

import unicodedata

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Email, EqualTo, Length, Optional, ValidationError

from app.accounts.models import Organisation
from app.accounts.settings import RETENTION_MONTHS_RANGE
from app.extensions import db

NAME_MAX = 200


def _no_control_characters(form, field):
    if field.data and any(unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co"} for ch in field.data):
        raise ValidationError(_l("Remove the invisible or control characters from this field."))


def _name_has_letters(form, field):
    if field.data and not any(ch.isalpha() for ch in field.data):
        raise ValidationError(_l("Enter your name with letters, as it should appear on certificates."))


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _password_policy(form, field):
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if field.data and len(field.data) < minimum:
        raise ValidationError(
            _l("Use at least %(n)d characters. A phrase of several words is easy to remember.", n=minimum))
    if field.data and len(field.data) > 256:
        raise ValidationError(_l("Use at most 256 characters."))
    if field.data and field.data.strip().lower() in {"password123", "1234567890", "qwertyuiop", "parola12345"}:
        raise ValidationError(_l("This password is too common. Choose another one."))


def email_field(label=None):
    """An e-mail field with the same checks everywhere."""
    return EmailField(
        label or _l("E-mail address"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter your e-mail address.")),
            Length(max=254, message=_l("The e-mail address is too long.")),
            Email(_l("Enter an e-mail address in the right format, like name@example.bg."),
                  check_deliverability=False),
        ],
    )


def full_name_field():
    """The name as it will be printed on certificates."""
    return StringField(
        _l("Full name"),
        description=_l("As it should be printed on your certificates."),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter your full name.")),
            Length(min=2, max=NAME_MAX, message=_l("Enter between 2 and %(max)d characters.", max=NAME_MAX)),
            _no_control_characters,
            _name_has_letters,
        ],
    )


def new_password_fields():
    """A new password and its confirmation."""
    password = PasswordField(
        _l("Password"),
        description=_l("At least 10 characters."),
        validators=[DataRequired(_l("Enter a password.")), _password_policy],
    )
    confirm = PasswordField(
        _l("Confirm password"),
        validators=[
            DataRequired(_l("Enter the password again.")),
            EqualTo("password", _l("The two passwords do not match.")),
        ],
    )
    return password, confirm


class ChoiceField(SelectField):
    """A select list whose "not in the list" error says how to fix it."""

    def __init__(self, *args, invalid_message=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message or _l("Choose one of the options in the list.")

    def pre_validate(self, form):
        values = {str(choice.value) for choice in self.choices or []}
        if self.data is not None and str(self.data) not in values:
            raise ValidationError(self.invalid_message)


def _organisation_choices():
    rows = db.session.execute(
        db.select(Organisation.id, Organisation.name).order_by(Organisation.name)
    ).all()
    return [SelectChoice("", _l("Not listed / not applicable"))] + [SelectChoice(str(i), n) for i, n in rows]


def _language_choices():
    return [SelectChoice(code, name) for code, name in current_app.config["LANGUAGES"].items()]


class OrganisationAndLanguage:
    """Mixin that fills the organisation and language choices from the database and config."""

    def fill_choices(self):
        self.organisation_id.choices = _organisation_choices()
        self.language.choices = _language_choices()
        return self

    @property
    def organisation_value(self):
        return int(self.organisation_id.data) if self.organisation_id.data else None


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), filters=[_strip],
                       validators=[DataRequired(_l("Enter your e-mail address.")), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")),
                                                         Length(max=256)])
    remember = BooleanField(_l("Keep me signed in on this computer"))
    next = HiddenField()


class RegisterForm(OrganisationAndLanguage, FlaskForm):
    full_name = full_name_field()
    email = email_field()
    organisation_id = ChoiceField(_l("Organisation"), validators=[Optional()],
                                  invalid_message=_l("Choose an organisation from the list."))
    language = ChoiceField(_l("Language"), validators=[DataRequired(_l("Choose a language."))])
    password, confirm = new_password_fields()


class ResetRequestForm(FlaskForm):
    email = email_field()


class ResetPasswordForm(FlaskForm):
    password, confirm = new_password_fields()


class AcceptInvitationForm(FlaskForm):
    full_name = full_name_field()
    password, confirm = new_password_fields()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"),
                                     validators=[DataRequired(_l("Enter your current password."))])
    password, confirm = new_password_fields()


class ProfileForm(OrganisationAndLanguage, FlaskForm):
    full_name = full_name_field()
    organisation_id = ChoiceField(_l("Organisation"), validators=[Optional()],
                                  invalid_message=_l("Choose an organisation from the list."))
    language = ChoiceField(_l("Language"), validators=[DataRequired(_l("Choose a language."))])


class LanguageForm(FlaskForm):
    language = StringField(validators=[DataRequired()])
    next = HiddenField()


class RegistrationModeForm(FlaskForm):
    mode = ChoiceField(
        _l("Who can create an account"),
        choices=[SelectChoice("open", _l("Anyone can register")),
                 SelectChoice("invitation", _l("Only people who are invited"))],
    )


class ApiTokenForm(FlaskForm):
    """A new personal API token: a name to recognise it by and what it may do."""

    name = StringField(
        _l("Token name"),
        description=_l("Which system will use it, e.g. \"HR system\"."),
        filters=[_strip],
        validators=[DataRequired(_l("Give the token a name, such as the system that will use it.")),
                    Length(max=100, message=_l("Use at most %(max)d characters.", max=100)),
                    _no_control_characters],
    )
    scope = RadioField(
        _l("What the token may do"),
        choices=[SelectChoice("read", _l("Read only: list courses, cohorts, enrolments and completions")),
                 SelectChoice("write", _l("Read and write: also enrol learners"))],
        default="read",
        validate_choice=False,  # AnyOf below gives the message people can act on
        validators=[AnyOf(("read", "write"), message=_l("Choose read-only or read and write."))],
    )


class ExportForm(FlaskForm):
    """The "Download my data" button: a POST, so the download needs the CSRF token."""


class EraseAccountForm(FlaskForm):
    """Erase my account: the current password proves it is the person, not a borrowed browser."""

    password = PasswordField(_l("Your current password"),
                             validators=[DataRequired(_l("Enter your current password.")),
                                         Length(max=256, message=_l("Use at most 256 characters."))])
    withdraw_certificates = BooleanField(_l("Also withdraw my certificates"),
                                         description=_l("They will show as revoked to anyone who checks them."))


class SiteSettingsForm(RegistrationModeForm):
    """Admin settings: who may register, and how long unused learner accounts are kept."""

    retention_months = StringField(
        _l("Erase learners' accounts after this many months without signing in"),
        description=_l("Empty or 0 keeps accounts until the person erases them. Otherwise from 3 to 120 "
                       "months; the person gets an e-mail 30 days before."),
        filters=[_strip],
    )

    @property
    def months(self):
        """The validated number of months (empty means 0)."""
        return int(self.retention_months.data or 0)

    def validate_retention_months(self, field):
        low, high = RETENTION_MONTHS_RANGE
        value = field.data or "0"
        if not (value.isascii() and value.isdigit() and len(value) <= 3) or (
                int(value) != 0 and not low <= int(value) <= high):
            raise ValidationError(_l("Enter 0, or a whole number of months from %(low)d to %(high)d.",
                                     low=low, high=high))
