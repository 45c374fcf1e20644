"""`flask users ...` and `flask demo`: thin wrappers over the account services."""

import sys

import click
from flask.cli import AppGroup

from app.accounts import services
from app.accounts.models import ROLES, Organisation, find_user_by_email
from app.extensions import db

users_cli = AppGroup("users", help="Create accounts and change roles.")


def _read_password(from_stdin):
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 10:
        raise click.ClickException("The password must have at least 10 characters.")
    return password


@users_cli.command("create")
@click.option("--email", required=True, help="E-mail address (the login).")
@click.option("--name", "full_name", required=True, help="Full name as printed on certificates.")
@click.option("--role", type=click.Choice(ROLES), default="learner", show_default=True)
@click.option("--organisation", help="Name of an existing organisation.")
@click.option("--language", type=click.Choice(["bg", "en"]), default=None)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user_command(email, full_name, role, organisation, language, password_stdin):
    """Create an account with a password."""
    org = None
    if organisation:
        org = db.session.scalar(db.select(Organisation).where(Organisation.name == organisation))
        if org is None:
            raise click.ClickException(f"No organisation is named {organisation!r}.")
    password = _read_password(password_stdin)
    try:
        user = services.create_user(email, full_name, password, role=role, organisation=org, language=language)
    except services.AccountError as error:
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"Created {user.email} ({user.role}).")


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLES))
def set_role_command(email, role):
    """Change the role of an existing account."""
    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account has the e-mail address {email}.")
    services.set_role(user, role)
    db.session.commit()
    click.echo(f"{user.email} is now {role}.")


accounts_cli = AppGroup("accounts", help="Look after accounts: retention of inactive ones.")


@accounts_cli.command("purge-inactive")
def purge_inactive_command():
    """Erase learners' accounts unused for the retention period, after an e-mailed notice (run daily)."""
    from app.accounts.retention import purge_inactive
    from app.accounts.settings import retention_months

    if not retention_months():
        click.echo("No retention period is set (site settings): accounts are kept until erased.")
        return
    result = purge_inactive()
    db.session.commit()
    click.echo(f"Erased {result.erased} inactive accounts; sent {result.noticed} notices.")
    if result.failed:
        raise click.ClickException(f"{result.failed} notices could not be sent; the next run tries again.")
