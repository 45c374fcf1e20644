"""Training reports for the hub's KPIs: people trained, completions and certificates, counted in SQL.

Plain arguments in, rows out; the report page, its charts and the CSV/XLSX exports all read the same
rows, so the figures on screen and in the files are the same. Each table is one GROUP BY query
whatever the amount of data; dates are UTC days (the database stores UTC).

Definitions (shown on the report page too):
- people enrolled: distinct people who enrolled in a course in the period (withdrawn later or not);
- people trained: distinct people with at least one course completion in the period;
- completions: courses completed in the period;
- certificates issued: issued in the period and not revoked (replaced ones count: they were issued);
- certificates revoked: revoked in the period.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, String, cast, func, literal_column, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from app.accounts.models import Organisation, User
from app.certificates.models import Certificate
from app.content.models import Course, CourseVersion
from app.extensions import db
from app.learning.models import Completion, Enrolment

MEASURES = ("enrolled", "trained", "completions", "issued", "revoked")
MEASURE_LABELS = {
    "enrolled": _l("People enrolled"),
    "trained": _l("People trained"),
    "completions": _l("Completions"),
    "issued": _l("Certificates issued"),
    "revoked": _l("Certificates revoked"),
}
ISSUED_STATES = ("valid", "superseded")


class YearMonth(FunctionElement):
    """`YYYY-MM` of a timestamp, in each engine's own dialect."""

    type = String()
    inherit_cache = True


@compiles(YearMonth)
def _year_month_default(element, compiler, **kw):  # PostgreSQL (and others with to_char)
    return compiler.process(func.to_char(*element.clauses.clauses, literal_column("'YYYY-MM'")), **kw)


@compiles(YearMonth, "sqlite")
def _year_month_sqlite(element, compiler, **kw):
    return compiler.process(func.strftime(literal_column("'%Y-%m'"), *element.clauses.clauses), **kw)


@dataclass(frozen=True)
class Filters:
    """The period (inclusive UTC days, open-ended when None) and whose figures to count."""

    start: date | None = None
    end: date | None = None
    organisation_id: int | None = None
    no_organisation: bool = False  # only people who belong to no organisation

    @classmethod
    def calendar_year(cls, year):
        return cls(start=date(year, 1, 1), end=date(year, 12, 31))

    def conditions(self, when):
        """WHERE conditions for an event at column `when` by a user in `users`."""
        found = []
        if self.start is not None:
            found.append(when >= datetime.combine(self.start, time.min))
        if self.end is not None:
            found.append(when < datetime.combine(self.end + timedelta(days=1), time.min))
        if self.no_organisation:
            found.append(User.organisation_id.is_(None))
        elif self.organisation_id is not None:
            found.append(User.organisation_id == self.organisation_id)
        return found


@dataclass(frozen=True)
class Row:
    """One line of a report: what it is about (key and label) and the five figures."""

    key: int | str | None
    label: str | None
    language: str | None
    enrolled: int
    trained: int
    completions: int
    issued: int
    revoked: int

    def figures(self):
        return [getattr(self, name) for name in MEASURES]


@dataclass(frozen=True)
class Totals:
    """The period's figures, each person counted once."""

    enrolled: int
    trained: int
    completions: int
    issued: int
    revoked: int


# Each measure: the events it counts, their date column, and the SQL that counts them.
def _sources():
    """(date column, model, extra conditions, {measure: count}) for each kind of event."""
    return [
        (Enrolment.enrolled_at, Enrolment, [], {"enrolled": func.count(func.distinct(Enrolment.user_id))}),
        (Completion.completed_at, Completion, [],
         {"trained": func.count(func.distinct(Completion.user_id)), "completions": func.count(Completion.id)}),
        (Certificate.issued_at, Certificate, [Certificate.state.in_(ISSUED_STATES)],
         {"issued": func.count(Certificate.id)}),
        (Certificate.revoked_at, Certificate, [Certificate.state == "revoked"],
         {"revoked": func.count(Certificate.id)}),
    ]


@dataclass(frozen=True)
class Table(ABC):
    """A report table: its name in URLs, titles, and how rows are grouped and labelled."""

    name: str
    title: object  # lazy string
    key_label: object
    chart_title: object

    @abstractmethod
    def key_of(self, model, when):
        """The expression rows of `model` are grouped by."""

    @abstractmethod
    def labelled(self, grouped):
        """Select key, label, language and the figures from the grouped subquery, in display order."""

    def base_keys(self):
        """Rows shown even with no activity (a select of `key` and zero figures), or None."""
        return None

    def completed(self, found):
        """The rows as shown, from those the query found."""
        return found


def _figures(grouped):
    return [cast(func.coalesce(grouped.c[name], 0), BigInteger).label(name) for name in MEASURES]


class ByCourse(Table):
    def key_of(self, model, when):
        return model.course_id

    def base_keys(self):
        return select(Course.id.label("key"), *[literal_column("0").label(name) for name in MEASURES]).where(
            Course.published.is_(True))

    def labelled(self, grouped):
        return (select(grouped.c.key, func.coalesce(CourseVersion.title, Course.slug).label("label"),
                       Course.language.label("language"), *_figures(grouped))
                .select_from(grouped).join(Course, Course.id == grouped.c.key)
                .outerjoin(CourseVersion, CourseVersion.id == Course.current_version_id)
                .order_by(grouped.c.trained.desc(), grouped.c.completions.desc(), "label", grouped.c.key))


class ByOrganisation(Table):
    def key_of(self, model, when):
        return User.organisation_id

    def labelled(self, grouped):
        return (select(grouped.c.key, Organisation.name.label("label"), literal_column("NULL").label("language"),
                       *_figures(grouped))
                .select_from(grouped).outerjoin(Organisation, Organisation.id == grouped.c.key)
                .order_by(grouped.c.trained.desc(), grouped.c.completions.desc(),
                          Organisation.name.is_(None), "label", grouped.c.key))


class ByMonth(Table):
    def key_of(self, model, when):
        return YearMonth(when)

    def labelled(self, grouped):
        return (select(grouped.c.key, grouped.c.key.label("label"), literal_column("NULL").label("language"),
                       *_figures(grouped))
                .order_by(grouped.c.key))

    def completed(self, found):
        """Months with no activity between the first and the last one appear with zeros."""
        if not found:
            return found
        by_key = {row.key: row for row in found}
        year, month = (int(part) for part in found[0].key.split("-"))
        filled = []
        while True:
            key = f"{year:04d}-{month:02d}"
            filled.append(by_key.get(key) or Row(key, key, None, 0, 0, 0, 0, 0))
            if key >= found[-1].key:
                return filled
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)


TABLES = {
    table.name: table for table in (
        ByCourse("course", _l("By course"), _l("Course"), _l("People trained by course")),
        ByOrganisation("organisation", _l("By organisation"), _l("Organisation"),
                       _l("People trained by organisation")),
        ByMonth("month", _l("By month"), _l("Month"), _l("People trained by month")),
    )
}


def rows(table_name, filters, limit=None):
    """The rows of one report table (one query); raises KeyError for an unknown table."""
    table = TABLES[table_name]
    parts = []
    for when, model, extra, counts in _sources():
        key = table.key_of(model, when).label("key")
        columns = [counts[name].label(name) if name in counts else literal_column("0").label(name)
                   for name in MEASURES]
        parts.append(select(key, *columns).select_from(model).join(User, User.id == model.user_id)
                     .where(*extra, *filters.conditions(when)).group_by(key))
    base = table.base_keys()
    if base is not None:
        parts.append(base)
    events = union_all(*parts).subquery("events")
    grouped = (select(events.c.key, *[func.sum(events.c[name]).label(name) for name in MEASURES])
               .group_by(events.c.key).subquery("grouped"))
    statement = table.labelled(grouped)
    if limit is not None:
        statement = statement.limit(limit)
    result = db.session.execute(statement).all()
    found = [Row(r.key, r.label, r.language, *(int(getattr(r, name)) for name in MEASURES)) for r in result]
    return table.completed(found)


def totals(filters):
    """The period's figures in one query, each person counted once however many courses or months."""
    values = []
    for when, model, extra, counts in _sources():
        for name, count in counts.items():
            values.append(select(count).select_from(model).join(User, User.id == model.user_id)
                          .where(*extra, *filters.conditions(when)).scalar_subquery().label(name))
    result = db.session.execute(select(*values)).one()
    return Totals(**{name: int(getattr(result, name) or 0) for name in MEASURES})


def organisation_choices():
    """(id, name) of every organisation, by name, for the filter."""
    return db.session.execute(select(Organisation.id, Organisation.name)
                              .order_by(func.lower(Organisation.name), Organisation.id)).all()
