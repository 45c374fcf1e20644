"""A validation problem, reported as `path:line: message` in the reader's language."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a package; `message` is a lazy translatable string."""

    path: str
    line: int
    message: object

    def __str__(self):
        return f"{self.path}:{self.line}: {self.message}"


class ValidationFailed(Exception):
    """Raised by the importer when any package has a problem; nothing was written."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems
