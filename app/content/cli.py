"""`flask courses validate|import|export`: thin wrappers over the validator, importer and exporter."""

import os

import click
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy.exc import SQLAlchemyError

from app.accounts.models import find_user_by_email
from app.content import exporter, importer, kinds, package, validator
from app.content.models import Course, CourseVersion
from app.content.problems import ValidationFailed
from app.extensions import db

courses_cli = AppGroup("courses", help="Validate, import and export course packages.")


def _language(option):
    if option:
        return option
    env = (os.environ.get("LC_ALL") or os.environ.get("LANG") or "").lower()
    return "bg" if env.startswith("bg") else "en"


def _read(paths):
    packages, problems = [], []
    for path in paths:
        for found in package.find_packages(path):
            try:
                packages.append(package.read_package(found))
            except package.PackageError as error:
                problems.append(f"{error.path}: {error.message}")
    return packages, problems


def _fail(problems):
    for problem in problems:
        click.echo(str(problem), err=True)
    raise click.exceptions.Exit(1)


language_option = click.option("--lang", "lang", type=click.Choice(["bg", "en"]),
                               help="Language of the messages (default: from LANG).")


@courses_cli.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@language_option
def validate_command(paths, lang):
    """Check packages (folders, .zip files, or a folder of packages) without writing anything."""
    with force_locale(_language(lang)):
        packages, problems = _read(paths)
        parsed = validator.validate_packages(packages, importer.known_course_slugs(), kinds.known_all())
        problems += [str(problem) for problem in validator.all_problems(parsed)]
        if problems:
            _fail(problems)
    click.echo(f"{len(packages)} package(s) OK: " + ", ".join(p.slug for p in parsed))


@courses_cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--draft", is_flag=True, help="Keep the new versions as drafts (not shown to learners).")
@click.option("--owner", help="E-mail of the trainer who owns new courses.")
@language_option
def import_command(paths, draft, owner, lang):
    """Validate and import packages in one transaction; nothing is written if any has a problem."""
    user = None
    if owner:
        user = find_user_by_email(owner)
        if user is None:
            raise click.ClickException(f"No account has the e-mail address {owner}.")
    with force_locale(_language(lang)):
        packages, problems = _read(paths)
        if problems:
            _fail(problems)
        try:
            results = importer.import_packages(packages, draft=draft, user=user)
        except ValidationFailed as failed:
            db.session.rollback()
            _fail(failed.problems)
        except SQLAlchemyError as error:  # the database refused part of it: the whole import is undone
            db.session.rollback()
            _fail([f"The database refused the import, so nothing was changed: {getattr(error, 'orig', error)}"])
    db.session.commit()
    for result in results:
        state = "published" if result.published else "draft"
        click.echo(f"{result.slug}: {result.status} (version {result.version}, {state})")


@courses_cli.command("export")
@click.argument("slug")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--version", "number", type=int, help="Version number (default: the published one, else the latest).")
def export_command(slug, directory, number):
    """Write a course package (or a skills check) to DIRECTORY/<slug>/."""
    course = db.session.scalar(db.select(Course).where(Course.slug == slug))
    if course is None:
        for name, kind in kinds.registered().items():
            files = kind.export(slug)
            if files is not None:
                target = exporter.write_folder(slug, files, directory)
                click.echo(f"Exported {name} {slug} to {target}")
                return
        raise click.ClickException(f"No course has the slug {slug!r}.")
    version = _pick_version(course, number)
    target = exporter.export_to_folder(version, directory)
    click.echo(f"Exported {slug} version {version.number} to {target}")


def _pick_version(course, number):
    query = db.select(CourseVersion).where(CourseVersion.course_id == course.id)
    if number is not None:
        version = db.session.scalar(query.where(CourseVersion.number == number))
    else:
        version = course.current_version or db.session.scalar(query.order_by(CourseVersion.number.desc()))
    if version is None:
        raise click.ClickException(f"{course.slug} has no version {number}.")
    return version
