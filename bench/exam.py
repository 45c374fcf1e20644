"""The exam of the spike benchmark: a course whose last step is a ten-question quiz of mixed types,
the learners who sit it, and how a simulated learner fills in the attempt page."""

import html
import random
import re
import tempfile
from pathlib import Path

from bench.common import PASSWORD, create_app_for

COURSE = "exam-spike"
QUIZ = "final"
LESSON = "rules"
QUIZ_PATH = f"/courses/{COURSE}/quiz/{QUIZ}"

FILES = {
    "course.md": """---
title: Cyber hygiene, yearly exam
language: en
summary: The yearly exam of the cyber hygiene course.
hours: 2
certificate:
  issue: auto
  valid_months: 12
---

The exam at the end of the yearly course.
""",
    f"01-{LESSON}.md": """---
title: Exam rules
---

Answer every question; your answers are saved as you go.
""",
    f"02-{QUIZ}.quiz.md": """---
title: Final exam
pass_mark: 70
attempts: 1
time_limit: 30
shuffle: true
---

## Which password is the strongest?
- [ ] Wrong: Summer2024!
- [x] Right: correct-horse-battery-staple
    > Long passphrases beat short complex ones.
- [ ] Wrong: P@ssw0rd
- [ ] Wrong: the name of your town and a year

## Which of these are signs of phishing? {multiple}
- [x] Right: urgent pressure to act
- [x] Right: a sender address that does not match the organisation
- [ ] Wrong: a greeting with your name
- [ ] Wrong: a message sent during working hours

## HTTPS proves that a website is honest. {true-false}
- [ ] True
- [x] False

## Which port does HTTPS use by default? {short}
- 443

## How many bits of entropy has a passphrase of four words from a list of 1,024? {numeric}
- 40 ± 2

## Match each threat to its description. {matching}
- Phishing -> A fraudulent message that asks for credentials
- Ransomware -> Malware that encrypts files for a ransom
- Vishing -> A phone call that pretends to come from IT

## You find a USB stick in the car park. What do you do?
- [ ] Wrong: plug it in to find its owner
- [x] Right: hand it to your IT or security contact
- [ ] Wrong: plug it into your home computer

## Which of these protect a laptop on a business trip? {multiple}
- [x] Right: full-disk encryption
- [x] Right: locking the screen whenever you leave it
- [ ] Wrong: a sticker with the owner's phone number

## Approving a sign-in prompt you did not start is safe when the caller says he is from IT. {true-false}
- [ ] True
- [x] False

## Who must you tell first when you clicked a phishing link?
- [ ] Wrong: nobody, delete the e-mail
- [x] Right: the IT or security contact, at once
- [ ] Wrong: your colleagues, at the next meeting
""",
}

TEXT_ANSWERS = {"HTTPS use by default": ("443", "80"), "bits of entropy": ("40", "12")}
MATCHES = {"Phishing": "A fraudulent message that asks for credentials",
           "Ransomware": "Malware that encrypts files for a ransom",
           "Vishing": "A phone call that pretends to come from IT"}
QUESTIONS = 10


def email(number):
    """The e-mail address of learner `number`."""
    return f"learner{number}@exam.bench"


def seed(url, learners):
    """Import the course and enrol `learners` accounts who finished its lesson (not timed)."""
    from app.accounts import services as accounts
    from app.content import importer
    from app.content.models import Course
    from app.content.package import read_folder
    from app.extensions import db
    from app.learning import services as learning

    with tempfile.TemporaryDirectory(prefix="academy-exam-") as temporary:
        folder = Path(temporary) / COURSE
        folder.mkdir()
        for name, text in FILES.items():
            (folder / name).write_text(text, encoding="utf-8")
        package = read_folder(folder)
    app = create_app_for(url)
    with app.app_context():
        importer.import_packages([package])
        course = db.session.scalar(db.select(Course).where(Course.slug == COURSE))
        staff = accounts.create_user("staff@exam.bench", "Staff Member", PASSWORD, role="staff")
        users = [accounts.create_user(email(n), f"Learner {n}", PASSWORD) for n in range(learners)]
        learning.enrol_many(users, course, staff, note="yearly exam")
        for user in users:
            learning.mark_complete(user, course, LESSON)
        db.session.commit()
        db.engine.dispose()
    return app


FIELDSET_RE = re.compile(r'<fieldset class="question" id="question-(\d+)">(.*?)</fieldset>', re.S)
INPUT_RE = re.compile(
    r'<input (?:class="input" )?type="(radio|checkbox|text)" id="([^"]+)" name="(q\d+)"(?: value="([^"]*)")?')
LABEL_RE = re.compile(r'<label[^>]*for="([^"]+)"[^>]*>(.*?)</label>', re.S)
SELECT_RE = re.compile(r'<select class="input" id="[^"]+" name="(q\d+-\d+)">')
TEXT_RE = re.compile(r"<[^>]+>")


def _text(fragment):
    return html.unescape(TEXT_RE.sub("", fragment)).strip()


def _answer(fieldset, right):
    """Form fields answering one question: the right answer when `right`, else a wrong one."""
    labels = {target: _text(text) for target, text in LABEL_RE.findall(fieldset)}
    inputs = INPUT_RE.findall(fieldset)
    selects = SELECT_RE.findall(fieldset)
    if selects:
        pairs = [MATCHES[labels[name]] for name in selects]
        if not right:
            pairs = pairs[1:] + pairs[:1]
        return list(zip(selects, pairs, strict=True))
    kind = inputs[0][0]
    if kind == "text":
        correct, wrong = next(v for k, v in TEXT_ANSWERS.items() if k in _text(fieldset))
        return [(inputs[0][2], correct if right else wrong)]
    if inputs[0][3] in ("true", "false"):
        return [(inputs[0][2], "false" if right else "true")]
    wanted = "Right:" if right else "Wrong:"
    chosen = [(name, value) for _kind, target, name, value in inputs if labels[target].startswith(wanted)]
    return chosen if kind == "checkbox" else chosen[:1]


def answers(page, rng, skill):
    """Per question of an attempt page (in page order), the fields a learner of `skill` fills in."""
    return [_answer(fieldset, rng.random() < skill) for _position, fieldset in FIELDSET_RE.findall(page)]


def field(page, name):
    """The value of the hidden input `name` on a page."""
    return page.split(f'name="{name}" value="', 1)[1].split('"', 1)[0]


def new_rng(number):
    """A reproducible random source for learner `number`."""
    return random.Random(number * 7919 + 17)
