"""`flask quiz inspect`: print the questions of a .quiz.md, .gift or Aiken file as records."""

import json
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from app.quizzes import interchange
from app.quizzes.format import parse_quiz

quiz_cli = AppGroup("quiz", help="Inspect and convert quiz files.")


def read_records(path):
    """Records of a quiz file by its extension; raises click.ClickException listing path:line problems."""
    data = Path(path).read_bytes()
    if path.endswith(".quiz.md"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise click.ClickException(f"{path}:1: the file is not UTF-8 text") from None
        quiz = parse_quiz(text.replace("\r\n", "\n"))
        if quiz.problems:
            raise click.ClickException("\n".join(f"{path}:{line}: {message}" for line, message in quiz.problems))
        return [question.record() for question in quiz.questions]
    try:
        return interchange.read_bank(path, data)
    except interchange.BankError as error:
        raise click.ClickException(str(error)) from None


@quiz_cli.command("inspect")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help='Print {"questions": [...]} as JSON.')
@click.option("--lang", type=click.Choice(["bg", "en"]), default="en", help="Language of error messages.")
def inspect_command(path, as_json, lang):
    """Show how a quiz file is read (exit 1 with path:line: message on errors)."""
    with force_locale(lang):
        try:
            records = read_records(path)
        except click.ClickException as error:
            click.echo(error.message, err=True)
            raise click.exceptions.Exit(1) from None
    if as_json:
        click.echo(json.dumps({"questions": records}, ensure_ascii=False, indent=2))
        return
    for number, record in enumerate(records, 1):
        click.echo(f"{number}. [{record['qtype']}] {record.get('name', '')}")


@quiz_cli.command("convert")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.argument("target", type=click.Path(dir_okay=False))
@click.option("--title", help="Title for a .quiz.md written from GIFT or Aiken (default: the file name).")
def convert_command(source, target, title):
    """Convert between .quiz.md, Moodle GIFT (.gift) and Aiken; the target's extension chooses the format."""
    from app.quizzes.gift_writer import write_gift
    from app.quizzes.markdown_writer import write_quiz_md

    with force_locale("en"):
        try:
            records = read_records(source)
        except click.ClickException as error:
            click.echo(error.message, err=True)
            raise click.exceptions.Exit(1) from None
    if target.endswith(".quiz.md"):
        text = write_quiz_md(records, title or Path(source).name.split(".")[0])
    elif target.endswith(".gift"):
        try:
            text = write_gift(records)
        except ValueError as error:  # text GIFT cannot hold, e.g. "->" in a short answer
            raise click.ClickException(f"{source}: cannot be written as GIFT: {error}") from None
    else:
        raise click.ClickException("The target must end with .quiz.md or .gift.")
    Path(target).write_text(text, encoding="utf-8")
    questions = sum(1 for record in records if record.get("qtype") != "category")
    click.echo(f"Wrote {questions} questions to {target}")
