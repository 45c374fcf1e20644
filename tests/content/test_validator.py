"""The validator: every problem at once, each as path:line: message a trainer can act on."""

import pytest
from flask_babel import force_locale

from app.content.package import Package
from app.content.validator import all_problems, validate_packages
from tests.content import packages


def problems_of(contents, known=(), name="cyber-hygiene", language="en"):
    package = Package(name=name, origin=name, files={
        path: data if isinstance(data, bytes) else data.encode() for path, data in contents.items()})
    with force_locale(language):
        return [str(p) for p in all_problems(validate_packages([package], known))]


def course_md(front, body="\nAbout.\n"):
    return f"---\n{front}---\n{body}"


GOOD_FRONT = "title: T\nlanguage: en\nsummary: S.\nhours: 2\n"


def test_valid_package_has_no_problems(bare_app):
    """The reference package passes."""
    assert problems_of(packages.files()) == []


@pytest.mark.parametrize("contents, expected", [
    (packages.files(course_dot_md=None), "cyber-hygiene/course.md:1: the package has no course.md"),
    (packages.files(course_dot_md="No front matter here\n"),
     "cyber-hygiene/course.md:1: course.md must begin with front matter between two '---' lines"),
    (packages.files(course_dot_md="---\ntitle: T\n"),
     "cyber-hygiene/course.md:1: the front matter has no closing '---' line"),
    (packages.files(course_dot_md=course_md("title: T\nlanguage: [en\nsummary: S\nhours: 2\n")),
     "cyber-hygiene/course.md:4: the front matter is not valid YAML"),
    (packages.files(course_dot_md=course_md("- a\n- b\n")),
     "cyber-hygiene/course.md:2: the front matter must be 'key: value' lines"),
    (packages.files(course_dot_md=course_md("title: T\nlanguage: en\nhours: 2\n")),
     "cyber-hygiene/course.md:1: the required key 'summary' is missing or empty"),
    (packages.files(course_dot_md=course_md(GOOD_FRONT + "tittle: x\n")),
     "cyber-hygiene/course.md:6: unknown key 'tittle'"),
    (packages.files(course_dot_md=course_md("title: T\nlanguage: de\nsummary: S.\nhours: 2\n")),
     "cyber-hygiene/course.md:3: the language must be 'bg' or 'en'"),
    (packages.files(course_dot_md=course_md(GOOD_FRONT.replace("hours: 2", "hours: many"))),
     "cyber-hygiene/course.md:5: hours must be a number greater than 0"),
    (packages.files(course_dot_md=course_md(GOOD_FRONT + "slug: Cyber Hygiene\n")),
     "cyber-hygiene/course.md:6: a slug uses only small Latin letters"),
    (packages.files(course_dot_md=course_md(GOOD_FRONT + "level: expert\n")),
     "cyber-hygiene/course.md:6: the level must be beginner, intermediate or advanced"),
    (packages.files(course_dot_md=course_md(GOOD_FRONT + "prerequisites:\n  - gdpr-basics\n")),
     "cyber-hygiene/course.md:6: the prerequisite 'gdpr-basics' is not a known course"),
    (packages.files(course_dot_md=course_md(GOOD_FRONT + "translation_of: kiberhigiena\n")),
     "cyber-hygiene/course.md:6: translation_of names 'kiberhigiena', which is not another known course"),
    (packages.files(course_dot_md=course_md(GOOD_FRONT + "certificate:\n  issue: sometimes\n")),
     "cyber-hygiene/course.md:6: certificate issue must be 'auto' (on completion) or 'staff'"),
    (packages.files(course_dot_md=course_md(GOOD_FRONT + "certificate:\n  valid_months: -3\n")),
     "cyber-hygiene/course.md:6: valid_months must be a whole number of months between 1 and 240"),
    (packages.files(course_dot_md=course_md(GOOD_FRONT + "access: secret\n")),
     "cyber-hygiene/course.md:6: access must be 'public' or 'registered'"),
    (packages.files(**{"01-passwords_dot_md": None, "02-phishing_dot_md": None}),
     "cyber-hygiene/course.md:1: the course has no lessons"),
    (packages.files(**{"01-passwords_dot_md": "---\nminutes: 5\n---\nText\n"}),
     "cyber-hygiene/01-passwords.md:1: the file has no title"),
    (packages.files(**{"01-passwords_dot_md": "Just text, no front matter\n"}),
     "cyber-hygiene/01-passwords.md:1: the file has no title"),
    (packages.files(**{"01-passwords_dot_md": "---\ntitle: P\nminutes: lots\n---\nText\n"}),
     "cyber-hygiene/01-passwords.md:3: minutes must be a whole number between 1 and 600"),
    (packages.files(**{"02-passwords_dot_md": packages.LESSON_1}),
     "cyber-hygiene/02-passwords.md:1: the slug 'passwords' is also used by 01-passwords.md"),
    (packages.files(**{"01-intro_dot_md": "---\ntitle: I\n---\nHi\n"}),
     "cyber-hygiene/01-passwords.md:1: the number 01 is also used by 01-intro.md"),
    (packages.files(**{"notes_dot_txt": "x"}), "cyber-hygiene/notes.txt:1: this file is not part of the course format"),
    (packages.files(**{"1-intro_dot_md": "x"}),
     "cyber-hygiene/1-intro.md:1: this file is not part of the course format"),
    (packages.files(**{"assets__tool_dot_exe": b"MZ"}), "cyber-hygiene/assets/tool.exe:1: this file is not part of"),
    (packages.files(**{"01-passwords_dot_md": b"---\ntitle: \xff\n---\n"}),
     "cyber-hygiene/01-passwords.md:1: the file is not UTF-8 text"),
    (packages.files(**{"01-passwords_dot_md": "---\ntitle: P\n---\n\nSee [next](05-missing.md).\n"}),
     "cyber-hygiene/01-passwords.md:5: the link to '05-missing.md' does not point to a lesson or quiz"),
    (packages.files(**{"01-passwords_dot_md": "---\ntitle: P\n---\n\n![A chart](assets/chart.png)\n"}),
     "cyber-hygiene/01-passwords.md:5: the file 'assets/chart.png' is not in the package's assets folder"),
    (packages.files(**{"01-passwords_dot_md": "---\ntitle: P\n---\n\n![](assets/card.svg)\n"}),
     "cyber-hygiene/01-passwords.md:5: the image 'assets/card.svg' has no alt text"),
    (packages.files(**{"01-passwords_dot_md": '---\ntitle: P\n---\n\n<img src="assets/card.svg">\n'}),
     "cyber-hygiene/01-passwords.md:5: an <img> tag has no alt text"),
    (packages.files(**{"01-passwords_dot_md": "---\ntitle: P\n---\n\n# Big title\n"}),
     "cyber-hygiene/01-passwords.md:5: use '## ' for sections"),
    (packages.files(**{"01-passwords_dot_md": "---\ntitle: P\n---\n\n## A\n\n#### B\n"}),
     "cyber-hygiene/01-passwords.md:7: the heading jumps from level 2 to level 4; use ### instead"),
    (packages.files(**{"01-passwords_dot_md": "---\ntitle: P\n---\n\nRead [here](02-phishing.md).\n"}),
     "cyber-hygiene/01-passwords.md:5: the link text 'here' does not say where the link goes"),
    (packages.files(**{"01-passwords_dot_md": "---\ntitle: P\n---\n\n[x](javascript:alert(1))\n"}),
     "cyber-hygiene/01-passwords.md:5: links may only use http, https, mailto or tel addresses"),
    (packages.files(**{"01-passwords_dot_md": "---\ntitle: P\n---\n\n[x](../other/file.md)\n"}),
     "cyber-hygiene/01-passwords.md:5: the link to '../other/file.md' does not point to a lesson or quiz"),
    (packages.files(**{"01-passwords_dot_md": "---\ntitle: P\n---\n\n!!! warning\n    Careful.\n"}),
     "cyber-hygiene/01-passwords.md:5: give the box a title in quotes"),
    (packages.files(**{"01-passwords_dot_md": '---\ntitle: P\n---\n\n<img alt="x" src="assets/card.svg">\n'}),
     "cyber-hygiene/01-passwords.md:5: write links and images to lessons or assets in Markdown"),
    (packages.files(**{"01-passwords_dot_md": '---\ntitle: P\n---\n\n<a href="02-phishing.md">Phishing</a>\n'}),
     "cyber-hygiene/01-passwords.md:5: write links and images to lessons or assets in Markdown"),
    (packages.files(**{"01-passwords_dot_md": "---\ntitle: P\nauthor: me\n---\nText\n"}),
     "cyber-hygiene/01-passwords.md:3: unknown key 'author'"),
])
def test_each_problem_is_reported_with_path_and_line(bare_app, contents, expected):
    """A trainer sees exactly where each mistake is and what to do about it."""
    problems = problems_of(contents)
    assert any(problem.startswith(expected) for problem in problems), problems


def test_all_problems_are_reported_at_once(bare_app):
    """Several mistakes in several files are listed together, not one per run."""
    contents = packages.files(**{
        "course_dot_md": course_md("title: T\nlanguage: de\nsummary: S.\nhours: 2\n"),
        "01-passwords_dot_md": "---\nminutes: 5\n---\n![](assets/nope.png)\n",
        "stray_dot_docx": b"x",
    })
    problems = problems_of(contents)
    assert len(problems) >= 4
    assert {p.split(":")[0] for p in problems} == {
        "cyber-hygiene/course.md", "cyber-hygiene/01-passwords.md", "cyber-hygiene/stray.docx"}


def test_messages_come_in_bulgarian(bare_app):
    """A Bulgarian trainer reads the messages in Bulgarian."""
    [problem] = problems_of(packages.files(course_dot_md=None), language="bg")
    assert problem.startswith("cyber-hygiene/course.md:1: ") and "course.md" in problem
    assert "the package" not in problem


def test_code_blocks_are_not_checked_as_links(bare_app):
    """Examples inside code blocks (a fake link, an image) are not treated as content."""
    body = "---\ntitle: P\n---\n\n```\n![](missing.png) [here](nowhere.md)\n# not a heading\n```\n`[x](y.md)`\n"
    assert problems_of(packages.files(**{"01-passwords_dot_md": body})) == []


def test_prerequisites_resolve_among_packages_validated_together(bare_app):
    """Two packages that depend on each other's slugs validate when given together."""
    first = Package("basics", "basics", {k: v if isinstance(v, bytes) else v.encode() for k, v in packages.files(
        course_dot_md=course_md(GOOD_FRONT)).items()})
    second = Package("advanced", "advanced", {k: v if isinstance(v, bytes) else v.encode() for k, v in packages.files(
        course_dot_md=course_md(GOOD_FRONT + "prerequisites:\n  - basics\n")).items()})
    assert all_problems(validate_packages([first, second])) == []
    assert all_problems(validate_packages([second])) != []


def test_duplicate_course_slugs_across_packages(bare_app):
    """Two packages claiming one slug are refused."""
    contents = {k: v if isinstance(v, bytes) else v.encode() for k, v in packages.files().items()}
    problems = all_problems(validate_packages([Package("a", "a", contents), Package("a", "a", contents)]))
    assert any("two packages have the slug 'a'" in str(p) for p in problems)


def test_a_bom_and_windows_line_endings_are_accepted(bare_app):
    """Files saved by Windows editors (BOM, CRLF) validate like any other."""
    contents = packages.files()
    contents["course.md"] = "\ufeff" + packages.COURSE_MD.replace("\n", "\r\n")
    assert problems_of(contents) == []


@pytest.mark.parametrize("body, problem_line", [
    ("<table>\n<tr><td>Name</td><td>Role</td></tr>\n<tr><td>A</td><td>B</td></tr>\n</table>\n", 5),
    ("Text.\n\n<table><tr><td>x</td></tr></table>\n", 7),
])
def test_html_tables_need_a_header_row(bare_app, body, problem_line):
    """A raw HTML table without <th> cells is refused at its first line; Markdown and headed tables pass."""
    lesson = f"---\ntitle: Passwords\n---\n\n{body}"
    problems = problems_of(packages.files(**{"01-passwords_dot_md": lesson}))
    assert problems == [f"cyber-hygiene/01-passwords.md:{problem_line}: this table has no header row: mark the first "
                        "row's cells as <th>, or write the table in Markdown (| Heading | … | followed by | --- |)"]


@pytest.mark.parametrize("body", [
    "| Name | Role |\n| --- | --- |\n| A | B |\n",
    "<table>\n<tr><th>Name</th><th>Role</th></tr>\n<tr><td>A</td><td>B</td></tr>\n</table>\n",
    "```html\n<table><tr><td>code sample</td></tr></table>\n```\n",
])
def test_tables_with_headers_and_code_samples_pass(bare_app, body):
    lesson = f"---\ntitle: Passwords\n---\n\n{body}"
    assert problems_of(packages.files(**{"01-passwords_dot_md": lesson})) == []
