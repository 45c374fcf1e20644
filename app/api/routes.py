"""API endpoints: parse and check the parameters, read or call one service, answer JSON."""

from datetime import date

from flask import jsonify, request, url_for

from app.accounts.models import find_user_by_email
from app.api import bp, parameters, queries, serializers
from app.api.auth import api_user
from app.api.errors import ApiError, english
from app.extensions import db
from app.learning import services as learning


@bp.after_request
def _no_caching(response):
    """Answers carry personal data and depend on the token: no shared or stored copies."""
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def _list(result, items):
    """The list envelope every list endpoint returns, with the path of the next page if any."""
    next_url = None
    if result.has_next:
        args = {**request.args.to_dict(), "page": result.page + 1, "per_page": result.per_page}
        next_url = url_for(request.endpoint, **args)
    return jsonify(items=items, page=result.page, per_page=result.per_page, total=result.total, next=next_url)


def _course(name):
    """The course named by a slug query parameter; 404 when none has it."""
    slug = parameters.slug(name)
    if slug is None:
        return None
    course = queries.course_by_slug(slug)
    if course is None:
        raise ApiError(404, f"No course has the slug '{slug}'.")
    return course


def _cohort(cohort_id):
    cohort = queries.cohort_by_id(cohort_id) if cohort_id is not None and cohort_id <= parameters.MAX_ID else None
    if cohort is None:
        raise ApiError(404, f"No cohort has the id {cohort_id}.")
    return cohort


PAGING = ("page", "per_page")
LEARNER_FILTERS = ("course", "cohort", "email")


def _learner_filters():
    cohort_id = parameters.whole_number("cohort", 1, parameters.MAX_ID)
    return {"course": _course("course"),
            "cohort": _cohort(cohort_id) if cohort_id is not None else None,
            "email": parameters.text("email", parameters.EMAIL_MAX)}


@bp.route("/courses")
def courses():
    """Published courses with the catalogue data of their current version."""
    parameters.only(*PAGING)
    page, per_page = parameters.page_and_size()
    result = queries.published_courses(page, per_page)
    return _list(result, [serializers.course(course) for (course,) in result.rows])


@bp.route("/cohorts")
def cohorts():
    """Cohorts with their courses and member counts, the latest start first."""
    parameters.only(*PAGING)
    page, per_page = parameters.page_and_size()
    result = queries.cohorts(page, per_page)
    return _list(result, [serializers.cohort(cohort, count) for cohort, count in result.rows])


@bp.route("/cohorts/<int:cohort_id>")
def cohort(cohort_id):
    """One cohort with its members (e-mail, name, organisation)."""
    parameters.only()
    found = _cohort(cohort_id)
    members = sorted(found.members, key=lambda member: member.user.email)
    return jsonify(serializers.cohort_detail(found, members))


@bp.route("/enrolments")
def enrolments():
    """Enrolments, filtered by course, cohort (its members on its courses) and learner e-mail."""
    parameters.only(*PAGING, *LEARNER_FILTERS)
    page, per_page = parameters.page_and_size()
    result = queries.enrolments(page, per_page, **_learner_filters())
    return _list(result, [serializers.enrolment(enrolment, user) for enrolment, user in result.rows])


@bp.route("/completions")
def completions():
    """Completed courses since a date, with the certificate of each if one was issued."""
    parameters.only(*PAGING, *LEARNER_FILTERS, "since")
    page, per_page = parameters.page_and_size()
    since = parameters.iso_date("since")
    result = queries.completions(page, per_page, since=since, **_learner_filters())
    today = date.today()
    return _list(result, [serializers.completion(completion, user, certificate, today)
                          for completion, user, certificate in result.rows])


@bp.route("/enrolments", methods=["POST"])
def enrol():
    """Enrol a learner on a published course: 201 when enrolled now (or again), 200 when already enrolled."""
    parameters.only()
    body = parameters.json_object({"email": parameters.email_problem, "course": parameters.slug_problem})
    user = find_user_by_email(body["email"])
    if user is None:
        raise ApiError(404, "No account has this e-mail address.", field="email")
    course = queries.course_by_slug(body["course"])
    if course is None:
        raise ApiError(404, f"No course has the slug '{body['course']}'.", field="course")
    if not user.active:
        raise ApiError(409, "This account is deactivated; reactivate it before enrolling the learner.")
    existing = learning.enrolment_of(user, course)
    if existing is not None and existing.state == "active":
        return jsonify(serializers.enrolment(existing, user)), 200
    try:
        # Like staff enrolling from a file (and Moodle's or Canvas's APIs), prerequisites do not gate this;
        # the service records it in the audit log when the token's owner enrols someone else.
        enrolment = learning.enrol(user, course, enrolled_by=api_user(), check_prerequisites=False)
    except learning.LearningError as error:
        db.session.rollback()
        raise ApiError(409, english(error.message)) from None
    db.session.commit()
    return jsonify(serializers.enrolment(enrolment, user)), 201
