"""Building a version's quizzes at import: parse once, render the Markdown once, store both."""

import re

from app.content.importer import VersionLinks
from app.content.rendering import render_markdown
from app.content.signals import version_created
from app.extensions import db
from app.quizzes.format import parse_quiz
from app.quizzes.models import Quiz

PARAGRAPH = re.compile(r"^<p>(?P<inner>.*)</p>$", re.DOTALL)


def _inline(text, links):
    """Render a short text (a choice, a heading) without its surrounding paragraph."""
    html, _toc = render_markdown(text or "", links)
    html = html.strip()
    match = PARAGRAPH.match(html)
    return match["inner"] if match and "<p>" not in match["inner"] else html


def _block(text, links):
    return render_markdown(text, links)[0] if text else ""


def _display(question, links):
    """The rendered pieces of a question that pages show."""
    key, display = question.key, {}
    if "choices" in key:
        display["choices"] = [_inline(choice["text"], links) for choice in key["choices"]]
        display["feedback"] = [_block(choice["feedback"], links) for choice in key["choices"]]
    if question.type == "true-false":
        display["feedback_true"] = _block(key["feedbacktrue"], links)
        display["feedback_false"] = _block(key["feedbackfalse"], links)
    if "answers" in key:
        display["feedback"] = [_block(answer["feedback"], links) for answer in key["answers"]]
    return display


def build_quizzes(version, parsed, links):
    """Create the Quiz rows of a version from its validated files."""
    items = {item.filename: item for item in version.items if item.kind == "quiz"}
    for parsed_item in parsed.items:
        item = items.get(parsed_item.filename)
        if item is None:
            continue
        quiz = parse_quiz(parsed_item.text)
        questions = [{
            "type": q.type, "points": q.points, "key": q.key, "name": q.text,
            "text": _inline(q.text, links), "body": _block(q.body, links),
            "general": _block(q.general_feedback, links), "display": _display(q, links),
        } for q in quiz.questions]
        db.session.add(Quiz(item_id=item.id, version_id=version.id, slug=item.slug,
                            title=quiz.settings["title"], settings=quiz.settings, questions=questions))
    db.session.flush()


@version_created.connect
def _on_version_created(sender, version, parsed, **extra):
    hashes = {asset.path: asset.sha256 for asset in version.assets}
    build_quizzes(version, parsed, VersionLinks(version.course.slug, parsed.items, hashes))
