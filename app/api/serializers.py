"""Models as plain dicts for JSON; each shape is described by a schema in app/api/openapi.py."""

from app.certificates.codes import formatted


def timestamp(value):
    """A stored naive-UTC datetime as RFC 3339 (`2027-03-01T09:30:00Z`), or None."""
    return value.replace(microsecond=0).isoformat() + "Z" if value is not None else None


def day(value):
    """A date as `YYYY-MM-DD`, or None."""
    return value.isoformat() if value is not None else None


def organisation(org):
    """An organisation, or None."""
    if org is None:
        return None
    return {"id": org.id, "name": org.name, "kind": org.kind, "country": org.country}


def person(user):
    """A user as other systems know them: e-mail, name and organisation."""
    return {"email": user.email, "name": user.full_name, "organisation": organisation(user.organisation)}


def course(course_):
    """A published course with its current version's catalogue data."""
    version = course_.current_version
    return {
        "slug": course_.slug,
        "title": version.title,
        "language": version.language,
        "summary": version.summary,
        "hours": version.hours,
        "level": version.level,
        "competences": list(version.competences),
        "prerequisites": list(version.prerequisites),
        "translation_of": version.translation_of,
        "version": version.number,
        "published_at": timestamp(version.published_at),
    }


def cohort(cohort_, member_count):
    """A cohort with its course slugs and how many members it has."""
    trainer = cohort_.trainer
    return {
        "id": cohort_.id,
        "name": cohort_.name,
        "organisation": organisation(cohort_.organisation),
        "trainer": {"email": trainer.email, "name": trainer.full_name} if trainer is not None else None,
        "starts_on": day(cohort_.starts_on),
        "ends_on": day(cohort_.ends_on),
        "courses": [c.slug for c in cohort_.courses],
        "member_count": member_count,
    }


def cohort_detail(cohort_, members):
    """A cohort with its members (sorted by the caller)."""
    return {**cohort(cohort_, len(members)),
            "members": [{**person(m.user), "added_at": timestamp(m.added_at)} for m in members]}


def enrolment(enrolment_, user):
    """An enrolment of a learner on a course version."""
    return {
        "id": enrolment_.id,
        "learner": person(user),
        "course": enrolment_.course.slug,
        "version": enrolment_.version.number,
        "state": enrolment_.state,
        "enrolled_at": timestamp(enrolment_.enrolled_at),
        "withdrawn_at": timestamp(enrolment_.withdrawn_at),
        "completed_at": timestamp(enrolment_.completed_at),
    }


def completion(completion_, user, certificate, today):
    """A completed course version, with the certificate for it if there is one."""
    return {
        "id": completion_.id,
        "learner": person(user),
        "course": completion_.course.slug,
        "version": completion_.version.number,
        "completed_at": timestamp(completion_.completed_at),
        "certificate": certificate_summary(certificate, today),
    }


def certificate_summary(certificate, today):
    """The code and status of a certificate (details at /api/v1/certificates/{code}), or None."""
    if certificate is None:
        return None
    return {"code": formatted(certificate.code), "status": certificate.status_on(today)}
