"""The OpenAPI document is valid OpenAPI 3.1, names exactly the routes that exist, and matches real answers."""

import copy
import re
from datetime import date

import pytest
import schemathesis
from jsonschema import Draft202012Validator, FormatChecker

from app.api.openapi import document
from app.certificates import services as certificates
from app.extensions import db
from tests.api.conftest import API, bearer

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def spec(client):
    """The document as served."""
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def _validator(spec, schema):
    """A JSON Schema 2020-12 validator for `schema`, resolving references into the document."""
    return Draft202012Validator({**spec, **schema}, format_checker=FormatChecker())


def test_document_is_valid_openapi_3_1(spec):
    """Schemathesis's loader accepts it and validates it against the OpenAPI 3.1 meta-schema."""
    assert spec["openapi"] == "3.1.0"
    schemathesis.openapi.from_dict(copy.deepcopy(spec)).validate()
    for schema in spec["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    broken = copy.deepcopy(spec)
    broken["paths"]["/courses"]["get"]["responses"] = "nothing"
    with pytest.raises(Exception):  # noqa: B017 (proves the validation above is not a no-op)
        schemathesis.openapi.from_dict(broken).validate()


def test_document_lists_exactly_the_routes_under_api_v1(app, spec):
    """Every route of the URL map under /api/v1 is documented, and nothing else is."""
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(API + "/"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix(API))
            served |= {(path, method.lower()) for method in rule.methods if method.lower() in METHODS}
    documented = {(path, method) for path, operations in spec["paths"].items() for method in operations}
    assert spec["servers"] == [{"url": API}]
    assert documented == served


def test_protected_operations_document_401_and_403(spec):
    """Every operation that needs a token says so and documents what happens without one."""
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if operation.get("security") == []:
                continue
            assert {"401", "403", "429"} <= set(operation["responses"]), (method, path)
    assert spec["security"] == [{"bearerAuth": []}]


def test_answers_match_the_documented_schemas(client, spec, school, write_secret):
    """Real answers with data validate against the schemas the document gives for them."""
    headers = bearer(write_secret)
    cases = [
        ("/courses", "CoursePage"), ("/cohorts", "CohortPage"), (f"/cohorts/{school['cohort'].id}", "CohortDetail"),
        ("/enrolments", "EnrolmentPage"), ("/completions", "CompletionPage"), ("/enrolments?page=0", "Error"),
        ("/cohorts/424242", "Error"), ("/nothing", "Error"),
    ]
    for path, name in cases:
        body = client.get(API + path, headers=headers).get_json()
        _validator(spec, {"$ref": f"#/components/schemas/{name}"}).validate(body)
    created = client.post(f"{API}/enrolments", json={"email": "ben@plovdiv.bg", "course": "kiberhigiena"},
                          headers=headers)
    _validator(spec, {"$ref": "#/components/schemas/Enrolment"}).validate(created.get_json())
    invalid = client.post(f"{API}/enrolments", json={}, headers=headers)
    _validator(spec, {"$ref": "#/components/schemas/Error"}).validate(invalid.get_json())
    assert client.get(f"{API}/courses").get_json()["error"]["status"] == 401
    hygiene = school["hygiene"]
    code = certificates.issue(school["ana"], hygiene, hygiene.current_version, date(2027, 3, 20)).code
    db.session.commit()
    _validator(spec, {"$ref": "#/components/schemas/CertificateStatus"}).validate(
        client.get(f"{API}/certificates/{code}").get_json())
    _validator(spec, {"$ref": "#/components/schemas/CertificateUnknown"}).validate(
        client.get(f"{API}/certificates/AAAA-BBBB").get_json())


def test_document_function_and_endpoint_agree(app, spec):
    """The served document is the one the module builds (nothing is patched in between)."""
    assert spec == document()
