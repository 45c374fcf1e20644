"""`flask skills min-group [SIZE]`: show or set the smallest group the needs report shows."""

import click
from flask.cli import AppGroup

from app import audit
from app.extensions import db
from app.skills import needs

skills_cli = AppGroup("skills", help="Skills checks: settings of the needs report.")


@skills_cli.command("min-group")
@click.argument("size", type=int, required=False)
def min_group_command(size):
    """Print the minimum group size of the needs report, or set it to SIZE (at least 2)."""
    if size is None:
        click.echo(str(needs.min_group_size()))
        return
    before = needs.min_group_size()
    try:
        needs.set_min_group_size(size)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    audit.record("skills.min_group_changed", before=before, after=size)
    db.session.commit()
    click.echo(f"The needs report now shows groups of {size} or more people.")
