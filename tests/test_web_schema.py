"""The API against its own OpenAPI document (schemathesis): generated requests, bounded, on a
small store with data, a kept assessment and contributions; no answer may be a 5xx, and every
answer must match what the document says (status code, content type, body schema).

Schemathesis' pytest plugin does not run under this pytest, so each operation's Hypothesis
strategy is driven here directly."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sdgtrack.web.app import create_app  # noqa: E402

from .web_fixtures import small_store  # noqa: E402

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 30  # per operation: bounded, so the suite stays quick on two cores


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    app = create_app(small_store(tmp_path_factory.mktemp("schema") / "s.duckdb"))
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_every_read_operation_is_documented(api_schema):
    paths = {op.ok().path for op in api_schema.get_all_operations()}
    for path in (
        "/api/framework",
        "/api/framework/{code}",
        "/api/areas",
        "/api/areas/{name}",
        "/api/datasets",
        "/api/datasets/{dataset_id}",
        "/api/observations",
        "/api/data/{code}",
        "/api/metadata/{code}",
        "/api/progress",
        "/api/index",
        "/api/interlinkages",
        "/api/contributions",
    ):
        assert path in paths


def test_no_server_errors_and_answers_match_the_schema(api_schema):
    failures = []
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            case.call_and_validate(checks=CHECKS)

        try:
            run()
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure, then report them all
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert not failures, "\n\n".join(failures)
