"""Small course packages for tests, written to folders or zips."""

import io
import zipfile
from pathlib import Path

COURSE_MD = """---
title: Cyber hygiene
language: en
summary: Protect your accounts and devices at work.
level: beginner
hours: 2
competences:
  - 4.1 Protecting devices
certificate:
  issue: auto
  valid_months: 12
authors:
  - Hub team
---

## Who it is for

Everyone at the municipality.
"""

LESSON_1 = """---
title: Passwords
minutes: 10
---

## Long passphrases

Use a passphrase. Next: [the lesson on phishing](02-phishing.md).

![A strong passphrase written on a card](assets/card.svg)
"""

LESSON_2 = """---
title: Phishing
minutes: 12
---

## Spotting a fake

Check the sender. Back to [passwords](01-passwords.md#long-passphrases).
"""

QUIZ = """---
title: Check
pass_mark: 80
---

## Which is strongest?
- [ ] Summer2024!
- [x] correct-horse-battery-staple
"""

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>card</title></svg>'


def files(**overrides):
    """The files of a valid two-lesson package, with some replaced (None removes one)."""
    result = {
        "course.md": COURSE_MD,
        "01-passwords.md": LESSON_1,
        "02-phishing.md": LESSON_2,
        "03-check.quiz.md": QUIZ,
        "assets/card.svg": SVG,
    }
    for name, value in overrides.items():
        path = name.replace("__", "/").replace("_dot_", ".")
        if value is None:
            result.pop(path, None)
        else:
            result[path] = value
    return result


def write_folder(root, slug="cyber-hygiene", contents=None):
    """Write a package folder and return its path."""
    folder = Path(root) / slug
    for path, data in (contents or files()).items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return folder


def zip_bytes(contents=None, top="cyber-hygiene"):
    """A package as .zip bytes, optionally under a top folder."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, data in (contents or files()).items():
            archive.writestr(f"{top}/{path}" if top else path, data)
    return buffer.getvalue()
