"""Cohort rules: create and change cohorts, plan and apply a bulk enrolment, who may see what.

Services take plain values, flush rather than commit, and never read `request`.
"""

import json
import threading
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from app import audit, mail
from app.accounts import services as accounts
from app.accounts import tokens
from app.accounts.models import Organisation, User
from app.cohorts import roster
from app.cohorts.models import Cohort, CohortMember, RosterUpload
from app.content.models import Course
from app.extensions import db
from app.learning import services as learning
from app.timeutil import utcnow

CHUNK = 500  # ids per IN (...) list


class CohortError(Exception):
    """A rule was broken; the message is shown as it is."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def visible_cohorts(user):
    """Staff see every cohort; a trainer sees the cohorts they train."""
    statement = db.select(Cohort).order_by(Cohort.starts_on.desc(), Cohort.name)
    if not user.has_role("staff"):
        statement = statement.where(Cohort.trainer_id == user.id)
    return db.session.scalars(statement).unique().all()


def can_view(user, cohort):
    return user.has_role("staff") or cohort.trainer_id == user.id


def member_counts(cohort_ids):
    """{cohort id: number of members}."""
    if not cohort_ids:
        return {}
    return dict(db.session.execute(
        db.select(CohortMember.cohort_id, func.count(CohortMember.id))
        .where(CohortMember.cohort_id.in_(cohort_ids)).group_by(CohortMember.cohort_id)).all())


def trainer_choices():
    return db.session.execute(db.select(User.id, User.full_name).where(User.role == "trainer", User.active.is_(True))
                              .order_by(func.lower(User.full_name))).all()


def course_choices():
    return db.session.scalars(db.select(Course).where(Course.published.is_(True)).order_by(Course.slug)).all()


def save_cohort(name, starts_on, ends_on, course_ids, trainer_id=None, organisation_id=None, cohort=None, by=None):
    """Create a cohort or change one; learners already in it are enrolled on courses added to it."""
    name = " ".join((name or "").split())
    if not name:
        raise CohortError(_l("Enter a name, e.g. “Plovdiv municipality — cyber hygiene — March 2027”."), "name")
    if starts_on is None:
        raise CohortError(_l("Enter the start date."), "starts_on")
    if ends_on is not None and ends_on < starts_on:
        raise CohortError(_l("The end date must be on or after the start date."), "ends_on")
    courses = db.session.scalars(db.select(Course).where(Course.id.in_(course_ids or []),
                                                         Course.published.is_(True))).all()
    if not courses or len(courses) != len(set(course_ids)):
        raise CohortError(_l("Choose at least one published course."), "courses")
    trainer = db.session.get(User, trainer_id) if trainer_id else None
    if trainer_id and (trainer is None or not trainer.has_role("trainer")):
        raise CohortError(_l("Choose a trainer from the list."), "trainer_id")
    if organisation_id and db.session.get(Organisation, organisation_id) is None:
        raise CohortError(_l("Choose an organisation from the list."), "organisation_id")
    created = cohort is None
    if created:
        cohort = Cohort(created_by_id=by.id if by else None)
        db.session.add(cohort)
    added = [course for course in courses if course not in cohort.courses]
    cohort.name, cohort.starts_on, cohort.ends_on = name[:200], starts_on, ends_on
    cohort.trainer_id, cohort.organisation_id = trainer.id if trainer else None, organisation_id or None
    cohort.courses = sorted(courses, key=lambda course: course.slug)
    db.session.flush()
    if not created and added:
        users = [member.user for member in cohort.members if member.user.active]
        for course in added:
            learning.enrol_many(users, course, by, note=cohort.name)
    audit.record("cohort.created" if created else "cohort.updated", actor=by, target=cohort,
                 courses=[course.slug for course in cohort.courses], trainer=trainer.email if trainer else None)
    return cohort


# --- Bulk enrolment: upload → preview (plan) → confirm (apply) ---------------------------------------

OUTCOMES = ("invite", "enrol", "skip")


@dataclass
class PlannedRow:
    person: roster.Person
    outcome: str  # invite | enrol | skip
    reason: str = ""
    user: User | None = None
    organisation: Organisation | None = None


@dataclass
class Plan:
    rows: list
    encoding: str
    separator: str

    def count(self, outcome):
        return sum(1 for row in self.rows if row.outcome == outcome)


def store_upload(cohort, filename, data, by):
    """Keep the uploaded file until staff confirm the preview (it is re-read then)."""
    roster.read(data)  # refuse a malformed file at once
    upload = RosterUpload(cohort_id=cohort.id, uploaded_by_id=by.id if by else None,
                          filename=(filename or "roster.csv")[:255], content=data)
    db.session.add(upload)
    db.session.flush()
    return upload


def plan(cohort, data):
    """What confirming would do with each row, and why; a few queries whatever the file's size."""
    parsed = roster.read(data)
    people = parsed.people
    emails = [person.email for person in people if not person.problems]
    existing = {}
    for start in range(0, len(emails), CHUNK):
        existing.update({user.email: user for user in db.session.scalars(
            db.select(User).where(User.email.in_(emails[start:start + CHUNK])))})
    members = set(db.session.scalars(db.select(CohortMember.user_id).where(CohortMember.cohort_id == cohort.id)))
    organisations = {org.name.lower(): org for org in db.session.scalars(db.select(Organisation))}
    rows = []
    for person in people:
        if person.problems:
            rows.append(PlannedRow(person, "skip", "; ".join(str(problem) for problem in person.problems)))
            continue
        organisation = cohort.organisation
        if person.organisation:
            organisation = organisations.get(person.organisation.lower())
            if organisation is None:
                rows.append(PlannedRow(person, "skip", str(_l(
                    "No organisation is called “%(name)s”. Add it under Organisations or correct the file.",
                    name=person.organisation[:100]))))
                continue
        user = existing.get(person.email)
        if user is None:
            rows.append(PlannedRow(person, "invite", organisation=organisation))
        elif not user.active:
            rows.append(PlannedRow(person, "skip", str(_l("This account is deactivated.")), user))
        elif user.id in members:
            rows.append(PlannedRow(person, "skip", str(_l("Already in this cohort.")), user))
        else:
            rows.append(PlannedRow(person, "enrol", user=user, organisation=organisation))
    return Plan(rows=rows, encoding=parsed.encoding, separator=parsed.separator)


def apply_upload(upload, by):
    """Create, invite and enrol as the plan says, all in the caller's one transaction.

    Returns (summary, invitations) where invitations are (user, token) pairs to e-mail after commit.
    An upload is applied once: a second confirmation (double click, back button) changes nothing.
    """
    claimed = db.session.execute(
        db.update(RosterUpload).where(RosterUpload.id == upload.id, RosterUpload.applied_at.is_(None))
        .values(applied_at=utcnow()).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        raise CohortError(_l("This file has already been used. Upload it again to see a new preview."))
    cohort = db.session.get(Cohort, upload.cohort_id)
    result = plan(cohort, upload.content)
    languages = {course.current_version.language for course in cohort.courses if course.current_version}
    language = languages.pop() if len(languages) == 1 else None  # invitations in the courses' language
    new_people = [(row.person.email, row.person.name, row.organisation, language)
                  for row in result.rows if row.outcome == "invite"]
    created = accounts.create_invited_users(new_people, by=by)
    users = [created[row.person.email][0] if row.outcome == "invite" else row.user
             for row in result.rows if row.outcome in ("invite", "enrol")]
    db.session.add_all([CohortMember(cohort_id=cohort.id, user_id=user.id, added_by_id=by.id if by else None)
                        for user in users])
    for course in cohort.courses:
        learning.enrol_many(users, course, by, note=cohort.name)
    summary = {outcome: result.count(outcome) for outcome in OUTCOMES}
    upload.summary = json.dumps(summary)
    audit.record("cohort.enrolled", actor=by, target=cohort, file=upload.filename, **summary)
    db.session.flush()
    return summary, list(created.values())


def send_invitations_in_background(app, invitations, invited_by):
    """E-mail the invitation links from a thread, over one SMTP connection, so that a list of thousands
    does not hold the request; returns the thread. If the mail server fails, the accounts stay and the
    cohort page offers to send the invitations again."""
    pairs = [(user.id, token) for user, token in invitations]
    sender_id = invited_by.id if invited_by else None

    def target():
        with app.app_context():
            try:
                users = {}
                ids = [user_id for user_id, _token in pairs]
                for start in range(0, len(ids), CHUNK):
                    users.update({user.id: user for user in db.session.scalars(
                        db.select(User).where(User.id.in_(ids[start:start + CHUNK])))})
                sender = db.session.get(User, sender_id) if sender_id else None
                db.session.close()  # the loaded objects stay readable; no transaction stays open while sending
                mail.send_messages(accounts.invitation_message(users[user_id], token, sender)
                                   for user_id, token in pairs)
            except OSError as error:
                # The class name only: SMTP errors carry the refused recipients' addresses in their text.
                app.logger.error("Invitation e-mails could not be sent (%s); staff can send them again",
                                 type(error).__name__)
            finally:
                db.session.remove()

    thread = threading.Thread(target=target, name="invitations", daemon=True)
    thread.start()
    return thread


def renew_invitations(users):
    """New invitation links for these users (older unused links stop working): (user, token) pairs."""
    lifetime = timedelta(days=current_app.config["INVITATION_TOKEN_DAYS"])
    return [(user, tokens.issue_token(user, "invitation", lifetime)) for user in users]


def member_ids(cohort):
    """A select of the ids of the cohort's members, for use in other queries."""
    return db.select(CohortMember.user_id).where(CohortMember.cohort_id == cohort.id)


def pending_invitations(cohort):
    """Members who have not set a password yet."""
    return db.session.scalars(db.select(User).join(CohortMember, CohortMember.user_id == User.id)
                              .where(CohortMember.cohort_id == cohort.id, User.password_hash.is_(None),
                                     User.active.is_(True))).all()
