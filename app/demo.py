"""`flask demo`: demo organisations, accounts and the shipped courses, for trying the platform out."""

from pathlib import Path

import click

from app.accounts.demo import DEMO_ACCOUNTS, database_is_empty, load_demo
from app.accounts.models import find_user_by_email
from app.content import importer, package
from app.extensions import db

COURSES_DIR = Path(__file__).resolve().parent.parent / "courses"


DEMO_COHORT = "Община Пловдив — Киберхигиена — 2027"
DEMO_COHORT_PEOPLE = [
    ("ivan.georgiev@demo.academy", "Иван Георгиев", 5, True),
    ("petya.stoyanova@demo.academy", "Петя Стоянова", 5, True),
    ("nikolay.kolev@demo.academy", "Николай Колев", 3, False),
    ("desislava.todorova@demo.academy", "Десислава Тодорова", 1, False),
    ("stefan.marinov@demo.academy", "Стефан Маринов", 0, False),
]


def load_demo_cohort():
    """A cohort with a few learners at different stages, so the matrix and reports have something to show."""
    from datetime import date, timedelta

    from app.accounts.models import Organisation, User
    from app.certificates import services as certificates
    from app.cohorts.models import Cohort, CohortMember
    from app.content.models import Course, CourseItem
    from app.learning.models import Completion, Enrolment, LessonProgress
    from app.timeutil import utcnow

    course = db.session.scalar(db.select(Course).where(Course.slug == "kiberhigiena"))
    if course is None or db.session.scalar(db.select(Cohort).where(Cohort.name == DEMO_COHORT)) is not None:
        return
    plovdiv = db.session.scalar(db.select(Organisation).where(Organisation.name == "Община Пловдив"))
    trainer = find_user_by_email("trainer@demo.academy")
    cohort = Cohort(name=DEMO_COHORT, starts_on=date.today().replace(day=1), organisation=plovdiv,
                    trainer_id=trainer.id if trainer else None, courses=[course])
    db.session.add(cohort)
    lessons = db.session.scalars(db.select(CourseItem.slug).where(
        CourseItem.version_id == course.current_version_id, CourseItem.kind == "lesson")
        .order_by(CourseItem.position)).all()
    now = utcnow()
    for number, (email, name, done, completed) in enumerate(DEMO_COHORT_PEOPLE):
        user = find_user_by_email(email) or User(email=email, full_name=name, organisation=plovdiv, language="bg")
        db.session.add(user)
        db.session.flush()
        db.session.add(CohortMember(cohort=cohort, user_id=user.id))
        when = now - timedelta(days=40 * number)
        enrolment = Enrolment(user_id=user.id, course_id=course.id, version_id=course.current_version_id,
                              enrolled_at=when, completed_at=when if completed else None)
        db.session.add(enrolment)
        db.session.flush()
        db.session.add_all([LessonProgress(enrolment_id=enrolment.id, item_slug=slug, completed_at=when)
                            for slug in lessons[:done]])
        if completed:
            db.session.add(Completion(user_id=user.id, course_id=course.id, version_id=course.current_version_id,
                                      completed_at=when))
            certificates.issue(user, course, course.current_version, when.date())
    learner = find_user_by_email("learner@demo.academy")
    if learner is not None:
        db.session.add(CohortMember(cohort=cohort, user_id=learner.id))
    db.session.flush()


def load_demo_skills_results():
    """Kept skills check results of the demo cohort's people, so the needs report has figures to show.

    Five people of one organisation (exactly the default minimum group), each with a result from about
    a hundred days ago and a better one today, so the report shows a trend.
    """
    from datetime import timedelta

    from app.skills import services as skills
    from app.skills.models import SkillsCheck, SkillsResult
    from app.timeutil import utcnow

    check = db.session.scalar(db.select(SkillsCheck).where(SkillsCheck.slug == "proverka-na-umeniyata"))
    if check is None or db.session.scalar(db.select(SkillsResult.id).limit(1)) is not None:
        return
    keys = skills.statement_keys(check.definition)
    for number, (email, _name, _done, _completed) in enumerate(DEMO_COHORT_PEOPLE):
        user = find_user_by_email(email)
        if user is None:
            continue
        # Varied, repeatable answers; the later result is one step better where there was room.
        before = {key: 1 + (number + index) % 3 for index, key in enumerate(keys)}
        earlier = skills.keep_result(user, check, before)
        earlier.taken_at = utcnow() - timedelta(days=100)
        skills.keep_result(user, check, {key: min(4, value + (index + number) % 2)
                                         for index, (key, value) in enumerate(before.items())})
    db.session.flush()


def load_demo_courses():
    """Import every package in courses/, owned by the demo trainer; returns the import results."""
    packages = [package.read_package(path) for path in package.find_packages(COURSES_DIR)]
    trainer = find_user_by_email("trainer@demo.academy")
    return importer.import_packages(packages, user=trainer)


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has accounts.")
def demo_command(if_empty):
    """Load demo organisations, accounts and the shipped courses."""
    if if_empty and not database_is_empty():
        click.echo("The database already has data; demo content not loaded.")
        return
    created = load_demo()
    results = load_demo_courses() if COURSES_DIR.is_dir() else []
    load_demo_cohort()
    load_demo_skills_results()
    db.session.commit()
    click.echo(f"Demo content loaded ({created} new accounts, {len(results)} courses and skills checks).")
    for email, _name, role, password in DEMO_ACCOUNTS:
        click.echo(f"  {role:8} {email}  password: {password}")
