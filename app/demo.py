"""`flask demo`: demo organisations, accounts and the shipped courses, for trying the platform out."""

from pathlib import Path

import click

from app.accounts.demo import DEMO_ACCOUNTS, database_is_empty, load_demo
from app.accounts.models import find_user_by_email
from app.content import importer, package
from app.extensions import db

COURSES_DIR = Path(__file__).resolve().parent.parent / "courses"


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
    db.session.commit()
    click.echo(f"Demo content loaded ({created} new accounts, {len(results)} courses).")
    for email, _name, role, password in DEMO_ACCOUNTS:
        click.echo(f"  {role:8} {email}  password: {password}")
