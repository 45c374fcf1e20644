"""Course import benchmark (issue #10, item 5): a generated catalogue imported, then imported again unchanged.

    .venv/bin/python bench/imports.py [--courses 100] [--lessons 10] [--engine sqlite --engine postgresql]

Generates `courses` packages of `lessons` lessons each (realistic Markdown: headings, lists, a table, a
code block, an admonition, an image, about 400 words; one quiz per course) into a temporary folder,
imports them all into a fresh database the way `flask courses import` does (read, validate together,
import in one transaction, commit) and reports the time; then imports the same folder again and reports
that time as a fraction of the first. The goal is at most 0.10: an unchanged catalogue must be cheap
to import again, so a nightly `flask courses import courses/` costs nothing when nobody changed a file.
"""

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Result, at_most, create_app_for, database

REIMPORT_GOAL = 0.10
TOPICS = ("passwords", "phishing", "devices", "backups", "updates", "wifi", "cloud", "privacy", "incidents",
          "social", "mobile", "email", "remote", "printing", "visitors", "disposal")
WORDS = ("municipal", "registry", "citizen", "account", "report", "service", "office", "record", "request",
         "network", "update", "device", "message", "document", "procedure", "colleague", "manager", "system",
         "archive", "contract", "supplier", "payment", "signature", "certificate", "address", "folder")

COURSE = """---
title: "Generated course {n}: {topic} at the {place}"
language: en
summary: A generated course about {topic}, one of {total} in the benchmark catalogue.
level: {level}
hours: {hours}
competences:
  - "4.1 Protecting devices"
  - "4.2 Protecting personal data and privacy"
certificate:
  issue: auto
  valid_months: 12
authors:
  - Benchmark team
license: CC-BY-4.0
---

## Who this course is for

Every employee of the {place} who handles {topic}. {paragraph}

## What you will be able to do

- Recognise the risks of {topic} in daily work.
- Follow the procedure of the {place} step by step.
- Report a problem to the right person quickly.
"""

LESSON = """---
title: "{topic} at work, part {m}"
minutes: {minutes}
---

{paragraph}

## Why {topic} matters

{paragraph2}

- **Check** every {word} before you act on it.
- **Keep** the {word2} in the shared folder, never on a private device.
- **Ask** your manager when a request looks unusual.

![A diagram of the {topic} procedure, step {m}](assets/diagram-{n:03d}.svg)

### A checklist in a table

| Step | Who | When |
|---|---|---|
| Read the {word} | You | At once |
| Check the sender | You | Before replying |
| Report it | IT contact | The same day |

## Doing it right

{paragraph3}

```python
def is_expected(message, known_senders):
    # Lesson {m} of course {n}: only trust senders you already know.
    return message.sender in known_senders and not message.urgent
```

!!! warning "Never skip the check"
    {paragraph4}

1. Stop and read the {word2} again.
2. Compare it with what you expected.
3. Continue only when both match; see [the next lesson]({next_link}).

{paragraph5}
"""

QUIZ = """---
title: "Check of course {n}"
pass_mark: 80
attempts: 0
---

## What do you do with an unexpected {word}?
- [ ] Act on it at once
    > Attackers count on haste.
- [x] Check it and report it
    > Correct: checking first is the habit this course teaches.
- [ ] Forward it to colleagues

## Which of these are warning signs? {{multiple}}
- [x] Urgent pressure to act
- [x] A sender address that does not match
- [ ] A greeting with your name

## HTTPS proves that a website is honest. {{true-false}}
- [ ] True
- [x] False
"""

SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100"><title>Step diagram {n}</title>
<rect x="5" y="5" width="60" height="40" fill="#dde"/><rect x="75" y="5" width="60" height="40" fill="#ded"/>
<text x="10" y="30">{topic}</text><text x="80" y="30">check {n}</text></svg>
"""


def _paragraph(seed, words=60):
    """A deterministic paragraph of about `words` words (the text differs per lesson and course)."""
    chosen = [WORDS[(seed * 7 + index * 13) % len(WORDS)] for index in range(words)]
    sentences = [" ".join(chosen[start:start + 12]).capitalize() + "." for start in range(0, words, 12)]
    return " ".join(sentences)


def _lesson(n, m, lessons, topic):
    seed = n * 100 + m
    next_link = f"{m + 1:02d}-{topic}-part-{m + 1}.md" if m < lessons else f"{m + 1:02d}-check.quiz.md"
    return LESSON.format(
        n=n, m=m, topic=topic, minutes=5 + m % 10, word=WORDS[seed % len(WORDS)], word2=WORDS[(seed + 5) % len(WORDS)],
        paragraph=_paragraph(seed), paragraph2=_paragraph(seed + 1), paragraph3=_paragraph(seed + 2),
        paragraph4=_paragraph(seed + 3, 36), paragraph5=_paragraph(seed + 4, 48), next_link=next_link)


def generate(root, courses=100, lessons=10):
    """Write `courses` valid packages of `lessons` lessons and one quiz each under `root`; returns `root`."""
    root = Path(root)
    for n in range(1, courses + 1):
        topic = TOPICS[n % len(TOPICS)]
        folder = root / f"generated-course-{n:03d}"
        (folder / "assets").mkdir(parents=True)
        place = ("municipality", "regional administration", "civil registry")[n % 3]
        (folder / "course.md").write_text(COURSE.format(
            n=n, topic=topic, place=place, total=courses, level=("beginner", "intermediate", "advanced")[n % 3],
            hours=1 + n % 4, paragraph=_paragraph(n, 36)), encoding="utf-8")
        for m in range(1, lessons + 1):
            (folder / f"{m:02d}-{topic}-part-{m}.md").write_text(_lesson(n, m, lessons, topic), encoding="utf-8")
        (folder / f"{lessons + 1:02d}-check.quiz.md").write_text(
            QUIZ.format(n=n, word=WORDS[n % len(WORDS)]), encoding="utf-8")
        (folder / "assets" / f"diagram-{n:03d}.svg").write_text(SVG.format(n=n, topic=topic), encoding="utf-8")
    return root


def import_folder(app, root):
    """Import every package under `root` as `flask courses import` does; returns (seconds, statuses)."""
    from app.content import importer, package
    from app.extensions import db

    start = time.perf_counter()
    with app.app_context():
        packages = [package.read_package(found) for found in package.find_packages(root)]
        results = importer.import_packages(packages)
        db.session.commit()
        db.session.remove()
    return time.perf_counter() - start, sorted({result.status for result in results})


def measure(engine, root, courses, lessons):
    """Import the generated set twice into a fresh database on `engine`; returns its Result lines."""
    with database(engine) as url:
        app = create_app_for(url)
        first, first_statuses = import_folder(app, root)
        again, again_statuses = import_folder(app, root)
        with app.app_context():
            from app.extensions import db

            db.engine.dispose()
    if first_statuses != ["created"] or again_statuses != ["unchanged"]:
        raise RuntimeError(f"unexpected import results: {first_statuses} then {again_statuses}")
    size = f"{courses} courses x {lessons} lessons"
    return [
        Result(f"import of {size} ({engine})", f"{first:.2f} s ({first / courses * 1000:.0f} ms a course)",
               "reported", True),
        at_most(f"re-import unchanged / first import ({engine}; {again:.2f} s)", again / first, REIMPORT_GOAL),
    ]


def run(courses=100, lessons=10, engines=("sqlite", "postgresql")):
    """Generate the catalogue once, then measure each engine; returns the Result lines."""
    root = Path(tempfile.mkdtemp(prefix="academy-bench-import-"))
    try:
        generate(root, courses, lessons)
        return [result for engine in engines for result in measure(engine, root, courses, lessons)]
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=100)
    parser.add_argument("--lessons", type=int, default=10)
    parser.add_argument("--engine", action="append", choices=["sqlite", "postgresql"])
    parser.add_argument("--generate", metavar="FOLDER", help="only write the packages to FOLDER and stop")
    options = parser.parse_args()
    if options.generate:
        generate(options.generate, options.courses, options.lessons)
        return
    for result in run(options.courses, options.lessons, tuple(options.engine or ("sqlite", "postgresql"))):
        print(result.line(), flush=True)


if __name__ == "__main__":
    main()
