"""The cohorts section of a learner's data download: the groups they were placed in."""

from app.accounts import privacy
from app.accounts.privacy import iso
from app.cohorts.models import Cohort, CohortMember
from app.extensions import db


def cohorts_section(user):
    """Each cohort the person belongs to, with its dates (one query)."""
    rows = db.session.execute(
        db.select(Cohort.name, Cohort.starts_on, Cohort.ends_on, CohortMember.added_at)
        .join(CohortMember, CohortMember.cohort_id == Cohort.id).where(CohortMember.user_id == user.id)
        .order_by(CohortMember.added_at, CohortMember.id)).all()
    return [{"cohort": name, "starts_on": iso(starts), "ends_on": iso(ends), "added_at": iso(added)}
            for name, starts, ends, added in rows]


privacy.register_section("cohorts", cohorts_section)
