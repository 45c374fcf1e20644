"""Validation of course packages: every problem at once, as `path:line: message`.

Packages given together are validated together, so prerequisites and translations
among them resolve; `known_slugs` adds the courses already in the database.
"""

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from flask_babel import lazy_gettext as _l

from app.content import asset_checks, frontmatter, kinds, markdown_checks, settings_checks
from app.content.problems import Problem

ITEM_FILE = re.compile(r"^(?P<number>\d{2})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)(?P<quiz>\.quiz)?\.md$")
ASSET_TYPES = {
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
    ".webp": "image/webp", ".svg": "image/svg+xml", ".pdf": "application/pdf", ".csv": "text/csv",
    ".txt": "text/plain", ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".mp3": "audio/mpeg", ".mp4": "video/mp4", ".webm": "video/webm", ".vtt": "text/vtt",
}


# Checks of item kinds owned by higher packages (the quiz engine registers "quiz"):
# checker(text) -> [(line, message)]. Content must not import them, so they register here.
_ITEM_CHECKERS = {}


def register_item_checker(kind, checker):
    """Let a higher package check the files of one item kind (e.g. quizzes)."""
    _ITEM_CHECKERS[kind] = checker


@dataclass
class ParsedItem:
    """A lesson or quiz file with its parsed front matter and normalised text."""

    filename: str
    number: int
    slug: str
    kind: str
    text: str
    front: frontmatter.FrontMatter

    @property
    def title(self):
        return str(self.front.data.get("title", "")).strip()


@dataclass
class ParsedPackage:
    """What the importer needs from a package that passed validation."""

    package: object
    slug: str = ""
    kind: str = kinds.COURSE
    course: frontmatter.FrontMatter | None = None
    course_text: str = ""
    items: list = field(default_factory=list)
    assets: dict = field(default_factory=dict)  # path -> (bytes, media type)
    problems: list = field(default_factory=list)


def normalise_text(data):
    """Decode UTF-8 (dropping a BOM) and use \\n line endings, as stored and exported."""
    return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


def validate_packages(packages, known_slugs=(), known_other=None):
    """Parse and check packages; returns parsed packages (courses first), each with its problems.

    Packages of other kinds (`type:` in course.md, e.g. a skills check) go to their registered
    validator, which learns the course slugs and, through `known_other`, what is in the database.
    """
    by_kind = {}
    for package in packages:
        by_kind.setdefault(kinds.package_type(package), []).append(package)
    parsed = [_parse(package) for package in by_kind.pop(kinds.COURSE, [])]
    slugs = [p.slug for p in parsed]
    for p in parsed:
        if p.slug and slugs.count(p.slug) > 1:
            _report(p, "course.md", 1, _l("two packages have the slug '%(slug)s'", slug=p.slug))
    available = set(known_slugs) | set(slugs)
    for p in parsed:
        if p.course is not None:
            _check_references(p, available)
    for name, others in by_kind.items():
        parsed += kinds.kind(name).validate(others, available, (known_other or {}).get(name))
    return parsed


def all_problems(parsed_packages):
    """Every problem of every package, in file order."""
    return [problem for p in parsed_packages for problem in p.problems]


def _report(parsed, path, line, message):
    parsed.problems.append(Problem(f"{parsed.package.name}/{path}", line, message))


def _parse(package):
    parsed = ParsedPackage(package=package, slug=package.name)
    texts = {}
    for path in sorted(package.files):
        kind = _classify(path)
        if kind is None:
            _report(parsed, path, 1, _l("this file is not part of the course format: a package holds course.md, "
                                        "NN-slug.md lessons, NN-slug.quiz.md quizzes and files in assets/"))
            continue
        if kind == "asset":
            media_type = ASSET_TYPES[PurePosixPath(path).suffix.lower()]
            problem = asset_checks.content_problem(media_type, package.files[path])
            if problem:
                _report(parsed, path, 1, problem)
            parsed.assets[path] = (package.files[path], media_type)
            continue
        try:
            texts[path] = normalise_text(package.files[path])
        except UnicodeDecodeError:
            _report(parsed, path, 1, _l("the file is not UTF-8 text; save it as UTF-8"))
    if "course.md" not in package.files:
        _report(parsed, "course.md", 1, _l("the package has no course.md"))
    elif "course.md" in texts:
        _parse_course(parsed, texts["course.md"])
    _parse_items(parsed, {path: text for path, text in texts.items() if path != "course.md"})
    return parsed


def _classify(path):
    parts = PurePosixPath(path).parts
    if len(parts) == 1:
        if path == "course.md":
            return "course"
        return "item" if ITEM_FILE.match(path) else None
    if parts[0] == "assets" and PurePosixPath(path).suffix.lower() in ASSET_TYPES:
        return "asset"
    return None


def _front_matter(parsed, path, text):
    front = frontmatter.parse(text)
    if front.error:
        line, problem = front.error
        if problem == "unclosed":
            _report(parsed, path, line, _l("the front matter has no closing '---' line"))
        elif problem == "not-a-mapping":
            _report(parsed, path, line, _l("the front matter must be 'key: value' lines"))
        else:
            _report(parsed, path, line, _l("the front matter is not valid YAML: %(problem)s", problem=problem))
    return front


def _parse_course(parsed, text):
    parsed.course_text = text
    front = _front_matter(parsed, "course.md", text)
    parsed.course = front
    if not front.present:
        _report(parsed, "course.md", 1, _l("course.md must begin with front matter between two '---' lines"))
        return
    if front.error:
        return
    report = lambda line, message: _report(parsed, "course.md", line, message)  # noqa: E731
    settings_checks.check_keys(front, settings_checks.COURSE_KEYS, settings_checks.COURSE_REQUIRED, report)
    settings_checks.check_course(front, report)
    if front.data.get("type", kinds.COURSE) != kinds.COURSE:
        report(front.key_lines.get("type", 1), _l("unknown package type '%(type)s'; the types are: %(types)s",
                                                  type=front.data["type"], types=", ".join(kinds.names())))
    if isinstance(front.data.get("slug"), str) and settings_checks.SLUG.match(front.data["slug"]):
        parsed.slug = front.data["slug"]
    elif not settings_checks.SLUG.match(parsed.slug or ""):
        _report(parsed, "course.md", 1, _l("the folder name '%(name)s' is not a valid slug; rename it or set "
                                           "'slug:' in the front matter", name=parsed.slug))


def _parse_items(parsed, texts):
    numbers, slugs = {}, {}
    for path, text in sorted(texts.items()):
        match = ITEM_FILE.match(path)
        kind = "quiz" if match["quiz"] else "lesson"
        item = ParsedItem(path, int(match["number"]), match["slug"], kind, text, _front_matter(parsed, path, text))
        report = lambda line, message, path=path: _report(parsed, path, line, message)  # noqa: E731
        if match["number"] in numbers:
            report(1, _l("the number %(n)s is also used by %(other)s",
                         n=match["number"], other=numbers[match["number"]]))
        if item.slug in slugs:
            report(1, _l("the slug '%(slug)s' is also used by %(other)s", slug=item.slug, other=slugs[item.slug]))
        numbers.setdefault(match["number"], path)
        slugs.setdefault(item.slug, path)
        if kind in _ITEM_CHECKERS:
            for line, message in _ITEM_CHECKERS[kind](text):
                report(line, message)
        elif not item.front.error:
            if kind == "lesson":
                settings_checks.check_keys(item.front, settings_checks.LESSON_KEYS, (), report)
            settings_checks.check_item(item.front, report)
        parsed.items.append(item)
    parsed.items.sort(key=lambda item: item.number)
    if not any(item.kind == "lesson" for item in parsed.items) and parsed.course is not None:
        _report(parsed, "course.md", 1, _l("the course has no lessons: add files such as 01-introduction.md"))


def _check_references(parsed, available):
    front = parsed.course
    report = lambda line, message: _report(parsed, "course.md", line, message)  # noqa: E731
    for slug in front.data.get("prerequisites") or []:
        if isinstance(slug, str) and slug not in available:
            report(front.key_lines.get("prerequisites", 1), _l("the prerequisite '%(slug)s' is not a known course",
                                                               slug=slug))
        elif slug == parsed.slug:
            report(front.key_lines.get("prerequisites", 1), _l("a course cannot be its own prerequisite"))
    translation = front.data.get("translation_of")
    if isinstance(translation, str) and (translation not in available or translation == parsed.slug):
        report(front.key_lines.get("translation_of", 1),
               _l("translation_of names '%(slug)s', which is not another known course", slug=translation))
    filenames = {item.filename for item in parsed.items}
    for item in parsed.items:
        report_item = lambda line, message, path=item.filename: _report(parsed, path, line, message)  # noqa: E731
        if item.kind == "lesson" and not item.front.error:
            markdown_checks.check_body(item.front.body, item.front.body_line, filenames, parsed.assets, report_item)
    if not front.error and front.present:
        markdown_checks.check_body(front.body, front.body_line, filenames, parsed.assets, report)
