"""The JSON API fuzzed from its own OpenAPI document: never a 500, every answer as documented.

Bounded (a few examples per operation, no shrinking) so the whole file runs in well
under a minute; the database holds published and unpublished quotes so reads hit
real rows, and half of the calls carry an editor's token so writes get past auth.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from factcheck.db import db
from factcheck.models import ReviewStatus, Verdict
from factcheck.services import accounts
from tests.review_data import match, quote

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture
def api_schema(app, users):
    with app.app_context():
        published = quote(db.session, "The harbour tunnel cost less than planned",
                          status=ReviewStatus.PUBLISHED, verdict=Verdict.ACCURATE)
        repeat = quote(db.session, "The harbour tunnel cost less than planned", published_at=None)
        match(db.session, repeat, published)
        quote(db.session, "Bus fares will stay frozen next year", by="Ana Fontaine")
        app.config["FUZZ_TOKEN"] = accounts.create_token(db.session, "ed")
        db.session.commit()
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


# Written out rather than with schemathesis' pytest integration, whose per-case
# subtests do not run under this pytest; each operation is one Hypothesis run.
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
def test_api_answers_as_documented(api_schema, app, mode):
    token = app.config["FUZZ_TOKEN"]
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 5, "the OpenAPI document lists fewer operations than expected"
    for operation in operations:
        authorised = operation.method.upper() != "GET"

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=10, deadline=None, derandomize=True, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        def run(case):
            headers = {"Authorization": f"Bearer {token}"} if authorised else {}
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except Unsatisfiable:  # nothing to get wrong (no parameters, no body)
            assert mode is GenerationMode.NEGATIVE, operation.label
