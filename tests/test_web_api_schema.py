"""Property-based tests of the JSON API from its own OpenAPI schema (schemathesis, in-process).

Signed in as an admin (who may call every operation), generated requests of every shape must
never produce a server error; the schema itself must be valid OpenAPI.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from sijill.web import create_app
from sijill.workspace import init_workspace
from tests.browser.seed import seed_case
from tests.browser.webhelp import FAST_POLICY, make_users, sign_in
from tests.conftest import TEST_KDF, TEST_PASSPHRASE

_AUTH: dict[str, str] = {}


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    root = tmp_path_factory.mktemp("web-api")
    ws, key = init_workspace(root / "ws", passphrase=TEST_PASSPHRASE, admin="admin", kdf=TEST_KDF)
    people = make_users(ws, key)
    seed_case(ws, key, root / "files")
    app = create_app(ws, key, policy=FAST_POLICY)
    client = TestClient(app)
    csrf = sign_in(client, people, "admin")
    cookie = client.cookies.get("sijill_session")
    assert cookie
    _AUTH.update({"Cookie": f"sijill_session={cookie}", "X-CSRF-Token": csrf})
    yield schemathesis.openapi.from_asgi("/api/openapi.json", app)
    ws.close()


def _operations(api_schema: Any) -> list[Any]:
    return [result.ok() for result in api_schema.get_all_operations()]


def test_api_never_answers_with_a_server_error(api_schema: Any) -> None:
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    operations = _operations(api_schema)
    assert len(operations) >= 20
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=10,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case: Any) -> None:
            response = case.call(headers=dict(_AUTH))
            statuses[response.status_code] += 1
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.text[:300]}")

        call()
    assert not failures, "\n".join(failures[:10])
    # Signed in throughout (no 401), and generated requests did reach the services.
    assert statuses[401] == 0, statuses
    assert sum(n for code, n in statuses.items() if code < 300) > 0, statuses
    assert statuses[201] > 0 and statuses[404] > 0, statuses


def test_openapi_schema_lists_every_api_route(api_schema: Any) -> None:
    paths = set(api_schema.raw_schema["paths"])
    assert "/api/cases/{case}/testimonies/{code}/versions" in paths
    assert not any(not p.startswith("/api/") for p in paths)  # pages stay out of the schema
