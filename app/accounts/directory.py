"""Finding people and organisations for staff: search and filters, paginated, counted in SQL."""

from dataclasses import dataclass

from sqlalchemy import func, or_

from app.accounts.models import ROLES, Organisation, User
from app.database import contains
from app.extensions import db

PER_PAGE = 50
STATUSES = ("active", "inactive", "invited")


@dataclass(frozen=True)
class PeopleFilter:
    """What staff typed or chose; anything unknown is dropped rather than refused."""

    query: str = ""
    role: str = ""
    organisation_id: int | None = None
    status: str = ""

    @classmethod
    def from_args(cls, args):
        organisation = (args.get("organisation") or "").strip()
        role = args.get("role", "")
        status = args.get("status", "")
        return cls(
            query=" ".join((args.get("q") or "").split())[:200],
            role=role if role in ROLES else "",
            organisation_id=int(organisation) if organisation.isdigit() and len(organisation) < 10 else None,
            status=status if status in STATUSES else "",
        )

    def as_args(self):
        args = {"q": self.query, "role": self.role, "organisation": self.organisation_id or "", "status": self.status}
        return {key: value for key, value in args.items() if value}


def search_people(filters, page=1):
    """A page of users matching the filters, ordered by name (one query for the rows, one for the count)."""
    statement = db.select(User).order_by(func.lower(User.full_name), User.id)
    if filters.query:
        statement = statement.where(or_(contains(User.full_name, filters.query), contains(User.email, filters.query)))
    if filters.role:
        statement = statement.where(User.role == filters.role)
    if filters.organisation_id:
        statement = statement.where(User.organisation_id == filters.organisation_id)
    if filters.status == "active":
        statement = statement.where(User.active.is_(True), User.password_hash.is_not(None))
    elif filters.status == "inactive":
        statement = statement.where(User.active.is_(False))
    elif filters.status == "invited":
        statement = statement.where(User.active.is_(True), User.password_hash.is_(None))
    return db.paginate(statement, page=page, per_page=PER_PAGE, error_out=False)


def organisations_with_counts():
    """Every organisation with how many people belong to it, by name."""
    counts = (db.select(User.organisation_id, func.count(User.id).label("people"))
              .group_by(User.organisation_id).subquery())
    rows = db.session.execute(
        db.select(Organisation, func.coalesce(counts.c.people, 0))
        .outerjoin(counts, counts.c.organisation_id == Organisation.id)
        .order_by(Organisation.country, func.lower(Organisation.name))
    ).all()
    return [(organisation, people) for organisation, people in rows]


def organisation_choices():
    """(id, name) pairs for select lists."""
    return db.session.execute(
        db.select(Organisation.id, Organisation.name).order_by(func.lower(Organisation.name))).all()
