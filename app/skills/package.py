"""Skills checks as packages: validated, imported and exported by `flask courses ...` beside courses.

A skills check package is a folder with one course.md whose front matter says `type: skills-check`;
its body lists DigComp areas, competences and statements (see docs/authoring.md).
"""

import hashlib
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from app.content import frontmatter, settings_checks
from app.content.importer import ImportResult
from app.content.kinds import PackageKind
from app.content.problems import Problem
from app.content.rendering import LinkResolver, render_markdown
from app.content.validator import normalise_text
from app.extensions import db
from app.skills import format as check_format
from app.skills.models import SkillsCheck
from app.timeutil import utcnow

TYPE = "skills-check"
KEYS = {"type", "title", "language", "summary", "slug", "translation_of", "scale", "target", "authors", "license"}
REQUIRED = ("type", "title", "language", "summary")


@dataclass
class ParsedCheck:
    """A skills check package read and checked; what the importer stores."""

    package: object
    slug: str
    kind: str = TYPE
    text: str = ""
    front: frontmatter.FrontMatter | None = None
    body: check_format.Body | None = None
    scale: list = field(default_factory=list)
    target: int = 0
    problems: list = field(default_factory=list)

    def report(self, line, message, path="course.md"):
        """Add a problem at path:line of this package."""
        self.problems.append(Problem(f"{self.package.name}/{path}", line, message))

    @property
    def language(self):
        """The check's language as written (None before the front matter is read)."""
        return self.front.data.get("language") if self.front else None

    def competence_ids(self):
        """The competences the check rates."""
        return {comp["id"] for comp in self.body.competences()} if self.body else set()


def validate(packages, course_slugs, known=None):
    """Check skills check packages together; `known` maps slugs in the database to (language, competences)."""
    parsed = [_parse(package) for package in packages]
    batch = {p.slug: (p.language, p.competence_ids()) for p in parsed}
    others = {**(known or {}), **batch}
    slugs = [p.slug for p in parsed]
    for p in parsed:
        if slugs.count(p.slug) > 1:
            p.report(1, _l("two packages have the slug '%(slug)s'", slug=p.slug))
        if p.slug in course_slugs:
            p.report(1, _l("a course already has the slug '%(slug)s'; give the skills check another one", slug=p.slug))
        if p.front is not None and not p.front.error and p.body is not None:
            _check_references(p, course_slugs, others)
    return parsed


def _parse(package):
    parsed = ParsedCheck(package=package, slug=package.name)
    for path in sorted(package.files):
        if path != "course.md":
            parsed.report(1, _l("a skills check package holds only course.md"), path=path)
    try:
        parsed.text = normalise_text(package.files["course.md"])
    except UnicodeDecodeError:
        parsed.report(1, _l("the file is not UTF-8 text; save it as UTF-8"))
        return parsed
    front = parsed.front = frontmatter.parse(parsed.text)
    if front.error:
        parsed.report(front.error[0], _l("the front matter is not valid YAML: %(problem)s", problem=front.error[1]))
        return parsed
    settings_checks.check_keys(front, KEYS, REQUIRED, parsed.report)
    settings_checks.check_course(front, parsed.report)
    slug = front.data.get("slug")
    parsed.slug = slug if isinstance(slug, str) and settings_checks.SLUG.match(slug) else parsed.slug
    if not settings_checks.SLUG.match(parsed.slug or ""):
        parsed.report(1, _l("the folder name '%(name)s' is not a valid slug; rename it or set 'slug:' in the "
                            "front matter", name=parsed.slug))
    language = front.data.get("language") if front.data.get("language") in settings_checks.LANGUAGES else "en"
    parsed.scale, parsed.target, problems = check_format.parse_scale(
        front.data, lambda key: front.key_lines.get(key, 1), language)
    body, body_problems = check_format.parse_body(front.body, front.body_line, language)
    parsed.body = body
    for line, message in problems + body_problems:
        parsed.report(line, message)
    return parsed


def _check_references(parsed, course_slugs, others):
    for comp in parsed.body.competences():
        for slug in comp["courses"]:
            if slug not in course_slugs:
                parsed.report(parsed.body.course_lines[comp["id"]],
                              _l("the course '%(slug)s' is not a known course", slug=slug))
    original = parsed.front.data.get("translation_of")
    if not isinstance(original, str):
        return
    line = parsed.front.key_lines.get("translation_of", 1)
    if original == parsed.slug or original not in others:
        parsed.report(line, _l("translation_of names '%(slug)s', which is not another known skills check",
                               slug=original))
        return
    language, competences = others[original]
    if language == parsed.language:
        parsed.report(line, _l("a translation must be in another language than '%(slug)s'", slug=original))
    if set(competences) != parsed.competence_ids():
        parsed.report(line, _l("a translation must rate the same competences as '%(slug)s' (it has: %(ids)s)",
                               slug=original, ids=", ".join(sorted(competences))))


def known():
    """Skills checks in the database: slug -> (language, competence ids)."""
    return {check.slug: (check.language, {comp["id"] for comp in check.competences()})
            for check in db.session.scalars(db.select(SkillsCheck))}


def import_one(parsed, draft, user):
    """Create or replace a skills check; an unchanged package changes nothing."""
    digest = hashlib.sha256(parsed.text.encode()).hexdigest()
    check = db.session.scalar(db.select(SkillsCheck).where(SkillsCheck.slug == parsed.slug))
    if check is not None and check.content_hash == digest:
        return ImportResult(parsed.slug, "unchanged", check.version, check.published)
    data = parsed.front.data
    created = check is None
    if created:
        check = SkillsCheck(slug=parsed.slug, version=0, published=not draft)
        db.session.add(check)
    elif not draft:
        check.published = True
    check.version += 1
    check.language, check.translation_of = data["language"], data.get("translation_of")
    check.title, check.summary = str(data["title"]).strip(), str(data["summary"]).strip()
    check.content_hash, check.source, check.updated_at = digest, parsed.text, utcnow()
    check.intro_html = render_markdown(parsed.body.intro, LinkResolver())[0] if parsed.body.intro else ""
    check.definition = {"scale": parsed.scale, "target": parsed.target, "areas": parsed.body.areas}
    db.session.flush()
    return ImportResult(parsed.slug, "created" if created else "new version", check.version, check.published)


def export(slug):
    """The package files of a skills check, exactly as imported; None when no check has this slug."""
    check = db.session.scalar(db.select(SkillsCheck).where(SkillsCheck.slug == slug))
    return None if check is None else {"course.md": check.source.encode("utf-8")}


SKILLS_CHECK_KIND = PackageKind(validate=validate, import_one=import_one, known=known, export=export)
