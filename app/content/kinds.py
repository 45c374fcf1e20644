"""Other kinds of package that share the course package format (a skills check), registered from above.

A package says what it is with `type:` in the front matter of its course.md (`course` when absent).
Content must not import the packages that handle other kinds, so they register here, like the
quiz engine registers its checker of quiz files.
"""

from collections.abc import Callable
from dataclasses import dataclass

from app.content import frontmatter

COURSE = "course"
_KINDS = {}


@dataclass(frozen=True)
class PackageKind:
    """What content needs to validate, import and export one kind of package."""

    validate: Callable  # (packages, course_slugs, known) -> [parsed with .slug, .kind, .problems]
    import_one: Callable  # (parsed, draft, user) -> ImportResult
    known: Callable  # () -> what validate needs to know about the ones in the database
    export: Callable  # (slug) -> {path: bytes}, or None when there is none with that slug


def register_package_kind(name, kind):
    """Let a higher package handle packages whose course.md says `type: <name>`."""
    _KINDS[name] = kind


def kind(name):
    """The registered kind called `name`, or None."""
    return _KINDS.get(name)


def names():
    """Every package type: course and the registered ones."""
    return [COURSE, *sorted(_KINDS)]


def registered():
    """The registered kinds by name."""
    return dict(_KINDS)


def package_type(package):
    """The `type:` of a package's course.md; `course` when absent or unreadable (its checks report why)."""
    data = package.files.get("course.md")
    if data is None:
        return COURSE
    try:
        front = frontmatter.parse(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return COURSE
    value = front.data.get("type", COURSE)
    return value if isinstance(value, str) and value in _KINDS else COURSE


def known_all():
    """What each registered kind knows of the ones already in the database."""
    return {name: registered_kind.known() for name, registered_kind in _KINDS.items()}
