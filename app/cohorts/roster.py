"""Reading a list of learners from a CSV file as spreadsheet programs write it.

Accepted: UTF-8 with or without a byte-order mark (Excel's "CSV UTF-8"), and Windows-1251 (what
Excel writes as plain "CSV" on Bulgarian Windows); comma, semicolon (Excel with a Bulgarian locale)
or tab as the separator; quoted fields with separators, quotes and line breaks inside. The first
row names the columns, in English or Bulgarian, in any order. Problems with the file itself are
reported by row number and stop everything; problems with a single person are reported per row.
"""

import csv
import io
import unicodedata
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
SEPARATORS = (";", ",", "\t")

# Column headings people write, folded to lower case without spaces, dashes or dots.
COLUMNS = {
    "name": {"fullname", "name", "learner", "име", "именафамилия", "имеифамилия", "трииимена", "триимена",
             "пълноиме", "служител"},
    "email": {"email", "emailaddress", "mail", "имейл", "имейладрес", "електроннапоща", "епоща", "поща"},
    "organisation": {"organisation", "organization", "org", "municipality", "организация", "община",
                     "институция", "ведомство"},
}


class RosterError(Exception):
    """The file cannot be used at all; `problems` are (row, message) pairs."""

    def __init__(self, problems):
        super().__init__("; ".join(f"{row}: {message}" for row, message in problems))
        self.problems = problems


@dataclass
class Person:
    """One data row: where it was in the file and what it says."""

    row: int
    name: str
    email: str
    organisation: str = ""
    problems: list = field(default_factory=list)  # messages that make this row be skipped


@dataclass
class Roster:
    people: list
    encoding: str
    separator: str


def read(data):
    """Parse the bytes of an uploaded file into a Roster, or raise RosterError."""
    if len(data) > MAX_BYTES:
        raise RosterError([(0, _l("The file is larger than 5 MB. Split it into smaller files."))])
    text, encoding = _decode(data)
    if "\x00" in text:
        raise RosterError([(0, _l("This is not a text file. Save the spreadsheet as CSV and upload that."))])
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), None)
    if first is None:
        raise RosterError([(0, _l("The file is empty."))])
    separator = max(SEPARATORS, key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error:
        raise RosterError([(max(reader.line_num, 1), _l(
            "A quoted field does not end, or a quote is in the wrong place. Check the quotes from this row on."
        ))]) from None
    rows = [(number, [cell.strip() for cell in row]) for number, row in rows if any(cell.strip() for cell in row)]
    header_row, header = rows[0]
    columns = _columns(header, header_row)
    people, problems = [], []
    if len(rows) - 1 > MAX_ROWS:
        raise RosterError([(0, _l("The file has more than %(max)d people. Split it into smaller files.",
                                  max=MAX_ROWS))])
    for number, cells in rows[1:]:
        if len(cells) > len(header) and any(cells[len(header):]):
            problems.append((number, _l("This row has %(found)d fields but the first row names %(expected)d. "
                                        "Check for a separator inside a name without quotes.",
                                        found=len(cells), expected=len(header))))
            continue
        cells = cells + [""] * (len(header) - len(cells))
        people.append(_person(number, cells, columns))
    if problems:
        raise RosterError(problems)
    if not people:
        raise RosterError([(header_row, _l("The file has a heading row but nobody in it."))])
    _mark_duplicates(people)
    return Roster(people=people, encoding=encoding, separator=separator)


def _decode(data):
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace"), "windows-1251"


def _fold(heading):
    heading = unicodedata.normalize("NFKC", heading).lower()
    return "".join(ch for ch in heading if ch.isalnum())


def _columns(header, row):
    found = {}
    for index, heading in enumerate(header):
        key = _fold(heading)
        for name, spellings in COLUMNS.items():
            if key in spellings and name not in found:
                found[name] = index
    missing = [name for name in ("name", "email") if name not in found]
    if missing:
        raise RosterError([(row, _l("The first row must name the columns: full name, e-mail and (optionally) "
                                    "organisation. Found: %(found)s.", found=", ".join(header) or "–"))])
    return found


def _person(number, cells, columns):
    name = " ".join(cells[columns["name"]].split())
    email = cells[columns["email"]].strip()
    organisation = " ".join(cells[columns["organisation"]].split()) if "organisation" in columns else ""
    person = Person(row=number, name=name, email=email.lower(), organisation=organisation)
    if not name:
        person.problems.append(_l("The name is missing."))
    elif len(name) > 200:
        person.problems.append(_l("The name is longer than 200 characters."))
    if not email:
        person.problems.append(_l("The e-mail address is missing."))
    else:
        try:
            person.email = validate_email(email, check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            person.problems.append(_l("“%(email)s” is not an e-mail address.", email=email[:100]))
    return person


def _mark_duplicates(people):
    first_row = {}
    for person in people:
        if person.problems:
            continue
        if person.email in first_row:
            person.problems.append(_l("The same e-mail address is already on row %(row)d.",
                                      row=first_row[person.email]))
        else:
            first_row[person.email] = person.row
