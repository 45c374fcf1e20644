"""Studio forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

MAX_SOURCE = 200_000


class UploadForm(FlaskForm):
    package = FileField(
        _l("Course package (.zip)"),
        description=_l("A .zip of the course folder: course.md, the lessons, the quizzes and assets/."),
        validators=[FileRequired(_l("Choose a .zip file to upload.")),
                    FileAllowed(["zip"], _l("The package must be a .zip file."))],
    )


class EditForm(FlaskForm):
    source = TextAreaField(_l("Markdown"), validators=[
        Length(max=MAX_SOURCE, message=_l("The file may have at most %(max)d characters.", max=MAX_SOURCE))])
    base_version = HiddenField()


class ConfirmForm(FlaskForm):
    """A button-only form: the CSRF token is all it carries."""


class AddEditorForm(FlaskForm):
    email = StringField(_l("E-mail address of the trainer"), filters=[lambda v: v.strip() if v else v],
                        validators=[DataRequired(_l("Enter the trainer's e-mail address.")), Length(max=254)])


class QuestionBankForm(FlaskForm):
    bank = FileField(
        _l("Moodle question bank (GIFT or Aiken)"),
        description=_l("A .gift or .txt file in GIFT format, or an Aiken file named .aiken.txt."),
        validators=[FileRequired(_l("Choose a file to import.")),
                    FileAllowed(["gift", "txt"], _l("The file must be a .gift or .txt file."))],
    )
    title = StringField(_l("Title of the new quiz"), filters=[lambda v: v.strip() if v else v],
                        validators=[DataRequired(_l("Enter a title for the quiz.")), Length(max=300)])
