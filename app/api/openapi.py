"""The OpenAPI 3.1 document of /api/v1, built as a dict and served (publicly) at /api/v1/openapi.json.

Tests check that it is valid OpenAPI 3.1, that it lists exactly the routes under /api/v1, and
(with Schemathesis, against a running server) that the answers match it.
"""

from flask import current_app, jsonify

from app.api import bp, parameters

NULLABLE_STRING = {"type": ["string", "null"]}
NULLABLE_TIMESTAMP = {"type": ["string", "null"], "format": "date-time"}


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _page_of(name):
    return {
        "type": "object",
        "required": ["items", "page", "per_page", "total", "next"],
        "properties": {
            "items": {"type": "array", "items": _ref(name)},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": parameters.MAX_PER_PAGE},
            "total": {"type": "integer", "minimum": 0},
            "next": {"type": ["string", "null"],
                     "description": "Path (with query) of the next page, or null on the last page."},
        },
    }


def _object(required, properties, **extra):
    return {"type": "object", "required": list(required), "properties": properties, **extra}


ORGANISATION = {"oneOf": [{"type": "null"}, _object(
    ["id", "name", "kind", "country"],
    {"id": {"type": "integer"}, "name": {"type": "string"}, "kind": {"type": "string"},
     "country": {"type": "string"}})]}

PERSON = _object(["email", "name", "organisation"], {
    "email": {"type": "string"}, "name": {"type": "string"}, "organisation": _ref("Organisation")})

COURSE = _object(
    ["slug", "title", "language", "summary", "hours", "level", "competences", "prerequisites", "translation_of",
     "version", "published_at"],
    {"slug": {"type": "string", "pattern": parameters.SLUG_RE.pattern},
     "title": {"type": "string"}, "language": {"type": "string"}, "summary": {"type": "string"},
     "hours": {"type": "number"},
     "level": {"enum": ["beginner", "intermediate", "advanced", None]},
     "competences": {"type": "array", "items": {"type": "string"}, "description": "DigComp 2.2 competences."},
     "prerequisites": {"type": "array", "items": {"type": "string"}, "description": "Slugs of courses."},
     "translation_of": {**NULLABLE_STRING, "description": "Slug of the same course in another language."},
     "version": {"type": "integer", "description": "Number of the current version."},
     "published_at": NULLABLE_TIMESTAMP})

COHORT_PROPERTIES = {
    "id": {"type": "integer"}, "name": {"type": "string"}, "organisation": _ref("Organisation"),
    "trainer": {"oneOf": [{"type": "null"}, _object(["email", "name"], {"email": {"type": "string"},
                                                                       "name": {"type": "string"}})]},
    "starts_on": {"type": "string", "format": "date"},
    "ends_on": {"type": ["string", "null"], "format": "date"},
    "courses": {"type": "array", "items": {"type": "string"}, "description": "Slugs of the cohort's courses."},
    "member_count": {"type": "integer", "minimum": 0},
}
COHORT = _object(COHORT_PROPERTIES, COHORT_PROPERTIES)
COHORT_DETAIL = _object([*COHORT_PROPERTIES, "members"], {
    **COHORT_PROPERTIES,
    "members": {"type": "array", "items": {"allOf": [_ref("Person"), _object(
        ["added_at"], {"added_at": {"type": "string", "format": "date-time"}})]}}})

ENROLMENT = _object(
    ["id", "learner", "course", "version", "state", "enrolled_at", "withdrawn_at", "completed_at"],
    {"id": {"type": "integer"}, "learner": _ref("Person"), "course": {"type": "string"},
     "version": {"type": "integer"}, "state": {"enum": ["active", "withdrawn"]},
     "enrolled_at": {"type": "string", "format": "date-time"},
     "withdrawn_at": NULLABLE_TIMESTAMP, "completed_at": NULLABLE_TIMESTAMP})

COMPLETION = _object(
    ["id", "learner", "course", "version", "completed_at", "certificate"],
    {"id": {"type": "integer"}, "learner": _ref("Person"), "course": {"type": "string"},
     "version": {"type": "integer"}, "completed_at": {"type": "string", "format": "date-time"},
     "certificate": {"oneOf": [{"type": "null"}, _object(
         ["code", "status"], {"code": {"type": "string"},
                              "status": {"enum": ["valid", "expired", "revoked"]}})]}})

NEW_ENROLMENT = _object(
    ["email", "course"],
    {"email": {"type": "string", "format": "email", "maxLength": parameters.EMAIL_MAX,
               "description": "E-mail address of the learner's account (any case)."},
     "course": {"type": "string", "pattern": parameters.SLUG_RE.pattern, "description": "The course's slug."}},
    additionalProperties=False)

ERROR = _object(["error"], {"error": _object(
    ["status", "message"],
    {"status": {"type": "integer", "minimum": 400, "maximum": 599},
     "message": {"type": "string", "description": "What went wrong and how to fix it, in English."},
     "parameter": {"type": "string", "description": "The query parameter at fault (400)."},
     "fields": {"type": "object", "additionalProperties": {"type": "string"},
                "description": "Problems by body field (422)."},
     "field": {"type": "string", "description": "The body field naming what was not found (404)."}})})

CERTIFICATE_STATUS = _object(
    ["code", "status", "holder", "course", "hours", "language", "completed_on", "issued_on", "valid_until",
     "issuer"],
    {"code": {"type": "string"}, "status": {"enum": ["valid", "expired", "revoked", "superseded"]},
     "holder": {"type": "string"}, "course": {"type": "string"}, "hours": {"type": "number"},
     "language": {"type": "string"}, "completed_on": {"type": "string", "format": "date"},
     "issued_on": {"type": "string", "format": "date"}, "valid_until": {"type": ["string", "null"], "format": "date"},
     "issuer": {"type": "string"}, "revoked_on": {"type": "string", "format": "date"},
     "revocation_reason": {"type": "string"}})

CERTIFICATE_UNKNOWN = _object(["status"], {"status": {"const": "unknown"}})

SCHEMAS = {
    "Organisation": ORGANISATION, "Person": PERSON, "Course": COURSE, "CoursePage": _page_of("Course"),
    "Cohort": COHORT, "CohortPage": _page_of("Cohort"), "CohortDetail": COHORT_DETAIL,
    "Enrolment": ENROLMENT, "EnrolmentPage": _page_of("Enrolment"), "NewEnrolment": NEW_ENROLMENT,
    "Completion": COMPLETION, "CompletionPage": _page_of("Completion"), "Error": ERROR,
    "CertificateStatus": CERTIFICATE_STATUS, "CertificateUnknown": CERTIFICATE_UNKNOWN,
}

ERROR_TEXTS = {
    "400": "A query parameter is malformed or unknown, or the body is not valid JSON.",
    "401": "The token is missing, unknown or revoked.",
    "403": "The token's owner is not hub staff, or a read-only token tried to write.",
    "404": "Not found.",
    "409": "The learner cannot be enrolled: the course is not open for enrolment, or the account is deactivated.",
    "413": "The body is too large.",
    "415": "The body is not sent as application/json.",
    "422": "The body is not a JSON object with valid `email` and `course`.",
    "429": "Too many requests.",
}


def _json(schema, description):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes):
    return {code: {"$ref": f"#/components/responses/Error{code}"} for code in codes}


def _query(name, schema, description):
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


PAGING = [
    _query("page", {"type": "integer", "minimum": 1, "maximum": parameters.MAX_PAGE, "default": 1},
           "Page number, from 1."),
    _query("per_page", {"type": "integer", "minimum": 1, "maximum": parameters.MAX_PER_PAGE,
                        "default": parameters.DEFAULT_PER_PAGE}, "Items per page."),
]
LEARNER_FILTERS = [
    _query("course", {"type": "string", "pattern": parameters.SLUG_RE.pattern},
           "Only this course (by slug; 404 if no course has it)."),
    _query("cohort", {"type": "integer", "minimum": 1, "maximum": parameters.MAX_ID},
           "Only the members of this cohort, on its courses (404 if there is no such cohort)."),
    _query("email", {"type": "string", "minLength": 1, "maxLength": parameters.EMAIL_MAX},
           "Only the learner with this e-mail address (any case)."),
]
READ_ERRORS = ("400", "401", "403", "429")


def _list_operation(summary, schema, operation_id, params=(), errors=READ_ERRORS, tag="learning"):
    return {"get": {"summary": summary, "operationId": operation_id, "tags": [tag],
                    "parameters": [*params, *PAGING],
                    "responses": {"200": {"$ref": f"#/components/responses/{schema}"}, **_errors(*errors)}}}


# Operations that need no token: the certificate status lives in app/certificates/routes.py.
PUBLIC_PATHS = {
    "/certificates/{code}": {"get": {
        "summary": "Public status of a certificate (no token needed)", "operationId": "getCertificateStatus",
        "tags": ["certificates"], "security": [],
        "description": "Anyone may verify a certificate by its code (any case, with or without hyphens). "
                       "Rate limited per address. Sent with `Access-Control-Allow-Origin: *`.",
        "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {
            "200": _json(_ref("CertificateStatus"), "The certificate's status."),
            "404": _json({"oneOf": [_ref("CertificateUnknown"), _ref("Error")]},
                         "No certificate has this code."),
            **_errors("400", "429")}}},
    "/openapi.json": {"get": {
        "summary": "This document (no token needed)", "operationId": "getOpenApiDocument", "tags": ["meta"],
        "security": [],
        "responses": {"200": _json({"type": "object"}, "The OpenAPI 3.1 document."), **_errors("429")}}},
}


def paths():
    """The operations, by path relative to the server URL /api/v1."""
    return {
        "/courses": _list_operation("Published courses", "CoursePage", "listCourses", tag="courses"),
        "/cohorts": _list_operation("Cohorts, the latest start first", "CohortPage", "listCohorts", tag="cohorts"),
        "/cohorts/{cohort_id}": {"get": {
            "summary": "A cohort with its members", "operationId": "getCohort", "tags": ["cohorts"],
            "parameters": [{"name": "cohort_id", "in": "path", "required": True,
                            "schema": {"type": "integer", "minimum": 1, "maximum": parameters.MAX_ID}}],
            "responses": {"200": _json(_ref("CohortDetail"), "The cohort."),
                          **_errors("400", "401", "403", "404", "429")}}},
        "/enrolments": {
            **_list_operation("Enrolments, oldest first", "EnrolmentPage", "listEnrolments",
                              LEARNER_FILTERS, (*READ_ERRORS, "404")),
            "post": {
                "summary": "Enrol a learner on a published course (needs a read-and-write token)",
                "operationId": "createEnrolment", "tags": ["learning"],
                "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("NewEnrolment")}}},
                "responses": {
                    "201": _json(_ref("Enrolment"), "Enrolled now (or again, after withdrawing)."),
                    "200": _json(_ref("Enrolment"), "Already enrolled: nothing changed."),
                    **_errors("400", "401", "403", "404", "409", "413", "415", "422", "429")}},
        },
        "/completions": _list_operation(
            "Completed courses, oldest first", "CompletionPage", "listCompletions",
            [*LEARNER_FILTERS, _query("since", {"type": "string", "format": "date"},
                                      "Only completions on or after this day (UTC), as YYYY-MM-DD.")],
            (*READ_ERRORS, "404")),
        **PUBLIC_PATHS,
    }


def document():
    """The OpenAPI 3.1 document as a dict."""
    responses = {f"Error{code}": _json(_ref("Error"), text) for code, text in ERROR_TEXTS.items()}
    for page in ("CoursePage", "CohortPage", "EnrolmentPage", "CompletionPage"):
        responses[page] = _json(_ref(page), "One page of the list.")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{current_app.config['PLATFORM_NAME']} API",
            "version": "1.0.0",
            "description": (
                "Read courses, cohorts, enrolments and completions, and enrol learners. Authenticate with a "
                "personal API token (hub staff create one in their profile): `Authorization: Bearer c4a_...`. "
                "Read-only tokens may only GET. Errors are JSON: "
                '`{"error": {"status": 404, "message": "..."}}`; messages are in English. '
                "Lists are paginated with `page` and `per_page` (at most 200) and give `total` and `next`."),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "tags": [{"name": name} for name in ("courses", "cohorts", "learning", "certificates", "meta")],
        "paths": paths(),
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                               "description": "A personal API token, `c4a_` and 40 characters."}},
            "schemas": SCHEMAS,
            "responses": responses,
        },
    }


@bp.route("/openapi.json")
def openapi_document():
    """The OpenAPI 3.1 document of this API (public)."""
    response = jsonify(document())
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
