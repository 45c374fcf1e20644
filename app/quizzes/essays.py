"""Essay grading: the queue of attempts waiting for a trainer, and recording their marks."""

from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.content.models import Course, CourseVersion
from app.extensions import db
from app.learning import services as learning
from app.learning.models import Enrolment
from app.quizzes import grading
from app.quizzes.models import Attempt, Quiz

MAX_COMMENT = 5000


class GradingError(Exception):
    """The marks cannot be recorded; the message says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def queue(user):
    """Finished attempts with essays to grade, in the courses this user may grade, oldest first."""
    query = (db.select(Attempt, User, CourseVersion)
             .join(Quiz, Attempt.quiz_id == Quiz.id).join(CourseVersion, Quiz.version_id == CourseVersion.id)
             .join(User, Attempt.user_id == User.id)
             .where(Attempt.needs_grading.is_(True), Attempt.state != "in_progress")
             .order_by(Attempt.finished_at))
    if not user.has_role("staff"):
        query = query.join(Course, CourseVersion.course_id == Course.id).where(Course.editors.any(user_id=user.id))
    return db.session.execute(query).all()


def essay_positions(attempt):
    """Positions of the essay questions in an attempt."""
    return [position for position, slot in enumerate(attempt.layout)
            if attempt.quiz.questions[slot["q"]]["type"] == "essay"]


def record_marks(attempt, raw_marks, raw_comments):
    """Validate and store marks (points, decimal comma allowed) and comments; may complete the course."""
    if attempt.state == "in_progress":
        raise GradingError(_l("This attempt is not submitted yet."))
    marks, comments = {}, {}
    for position in essay_positions(attempt):
        question = attempt.quiz.questions[attempt.layout[position]["q"]]
        text = (raw_marks.get(position) or "").strip().replace(",", ".")
        if not text:
            continue
        try:
            points = float(text)
        except ValueError:
            raise GradingError(_l("Enter the points as a number, e.g. 3 or 2.5.")) from None
        if not 0 <= points <= question["points"]:
            raise GradingError(_l("Give between 0 and %(max)s points.", max=question["points"]))
        marks[position] = points
        comments[position] = (raw_comments.get(position) or "").strip()[:MAX_COMMENT]
    grading.grade_essays(attempt, marks, comments)
    db.session.flush()
    if attempt.passed:
        enrolment = db.session.scalar(db.select(Enrolment).where(
            Enrolment.user_id == attempt.user_id, Enrolment.course_id == attempt.quiz.version.course_id))
        if enrolment is not None and enrolment.state == "active":
            learning.check_completion(enrolment)
    return attempt
