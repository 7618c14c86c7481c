"""Recording a case through the services on both databases: round trips, versions, permissions."""

from __future__ import annotations

import time

import pytest

from sijill.domain.people import PersonName
from sijill.domain.sources import SourceIdentity
from sijill.errors import InputError, PermissionDeniedError
from sijill.services import cases, claims, events, sources, testimonies
from sijill.services.session import open_session
from sijill.store import audit
from sijill.vault.keys import WorkspaceKey
from sijill.workspace import Workspace


def _setup(ws: Workspace, key: WorkspaceKey) -> int:
    with open_session(ws, "admin", key=key) as s:
        case = cases.create_case(s, "SAY", "Saydnaya 2011–2016")
        cases.add_user(s, "nour", "investigator")
        cases.add_user(s, "sami", "analyst")
        cases.add_member(s, "SAY", "nour")
        cases.add_member(s, "SAY", "sami")
        return case.id


def test_records_round_trip(workspace_and_key: tuple[Workspace, WorkspaceKey]) -> None:
    ws, key = workspace_and_key
    case_id = _setup(ws, key)
    with open_session(ws, "nour", key=key) as s:
        w1 = sources.add_source(
            s, case_id, "survivor", SourceIdentity(name_ar="سامر الحلبي", phone="0999")
        )
        w2 = sources.add_source(s, case_id, "guard_official")
        sources.relate_sources(s, w2.code, w1.code, "heard_from")
        t = testimonies.add_testimony(
            s, w1.code, interview_date="2016-11", language="ar", summary="الإعدامات"
        )
        testimonies.edit_testimony(
            s, t.code, reason="follow-up", summary="الإعدامات في المبنى الأبيض"
        )
        e = events.add_event(
            s,
            case_id,
            violation_type="extrajudicial_execution",
            title="Hangings",
            date="2012/2013",
            place="صيدنايا",
            count="20-50",
        )
        p = events.add_person(
            s, case_id, name_ar=PersonName("محمد", "أحمد", family="الخطيب"), birth="1985"
        )
        events.involve(s, p.id, e.code, "victim")
        claims.add_claim(
            s, t.code, subject=f"event:{e.code}", attribute="count", value="20–50", basis="saw"
        )
    with open_session(ws, "nour", key=key) as s:
        assert [v.source.code for v in sources.list_sources(s, case_id)] == ["W-001", "W-002"]
        identity = sources.read_identity(s, "W-001")
        assert identity == SourceIdentity(name_ar="سامر الحلبي", phone="0999")
        versions = testimonies.testimony_versions(s, "T-001")
        assert [v.summary for v in versions] == ["الإعدامات", "الإعدامات في المبنى الأبيض"]
        event = events.get_event(s, "E-001")
        assert event.place_pcode == "FAC-01" and event.governorate_pcode == "SY03"
        assert event.count is not None and (event.count.minimum, event.count.maximum) == (20, 50)
        assert str(event.date.earliest) == "2012-01-01"
        claim = claims.list_claims(s, case_id)[0]
        assert claim.value.count is not None and claim.value.count.maximum == 50
        assert events.list_people(s, case_id)[0].name_ar.family == "الخطيب"
        assert sources.list_relations(s, case_id)[0].kind == "heard_from"


def test_analyst_never_sees_identities_and_the_refusal_is_audited(
    workspace_and_key: tuple[Workspace, WorkspaceKey],
) -> None:
    ws, key = workspace_and_key
    case_id = _setup(ws, key)
    with open_session(ws, "nour", key=key) as s:
        sources.add_source(s, case_id, "family", SourceIdentity(name_latin="Hiba Qassem"))
    with (
        pytest.raises(PermissionDeniedError, match="may not read identity"),
        open_session(ws, "sami", key=key) as s,
    ):
        sources.read_identity(s, "W-001")
    with open_session(ws, "sami", key=key) as s:
        views = sources.list_sources(s, case_id, with_identity=True)
        assert [v.identity for v in views] == [None]
    with ws.engine.connect() as conn:
        entries = audit.read_entries(conn)
    refused = [e for e in entries if e.action == "refused"]
    assert refused and refused[0].actor == "sami" and refused[0].target == "source:W-001"


def test_investigator_outside_the_case_is_refused(
    workspace_and_key: tuple[Workspace, WorkspaceKey],
) -> None:
    ws, key = workspace_and_key
    case_id = _setup(ws, key)
    with open_session(ws, "admin", key=key) as s:
        cases.add_user(s, "lina", "investigator")
    with pytest.raises(PermissionDeniedError), open_session(ws, "lina", key=key) as s:
        sources.add_source(s, case_id, "survivor")


def test_a_failed_command_writes_nothing(workspace_and_key: tuple[Workspace, WorkspaceKey]) -> None:
    ws, key = workspace_and_key
    case_id = _setup(ws, key)
    with pytest.raises(InputError), open_session(ws, "admin", key=key) as s:
        sources.add_source(s, case_id, "survivor")
        events.add_event(s, case_id, violation_type="no_such_type", title="x")
    with open_session(ws, "admin", key=key) as s:
        assert sources.list_sources(s, case_id) == []


def test_deleting_a_source_shreds_its_identity(
    workspace_and_key: tuple[Workspace, WorkspaceKey],
) -> None:
    ws, key = workspace_and_key
    case_id = _setup(ws, key)
    with open_session(ws, "admin", key=key) as s:
        sources.add_source(s, case_id, "survivor", SourceIdentity(name_latin="Omar Darwish"))
        sources.delete_source(s, "W-001")
        assert sources.list_sources(s, case_id) == []
    from sqlalchemy import func, select

    from sijill.store.schema import data_keys, source_identity_fields

    with ws.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(data_keys)).scalar() == 0
        assert conn.execute(select(func.count()).select_from(source_identity_fields)).scalar() == 0


def test_protected_names_are_found_across_scripts_without_decryption(
    workspace_and_key: tuple[Workspace, WorkspaceKey],
) -> None:
    ws, key = workspace_and_key
    case_id = _setup(ws, key)
    with open_session(ws, "nour", key=key) as s:
        sources.add_source(s, case_id, "survivor", SourceIdentity(name_ar="محمد الخطيب"))
        sources.add_source(s, case_id, "survivor", SourceIdentity(name_latin="Rami Darwish"))
    with open_session(ws, "nour", key=key) as s:
        assert [src.code for src in sources.find_sources_by_name(s, "Mohammed al-Khatib")] == [
            "W-001"
        ]
        assert [src.code for src in sources.find_sources_by_name(s, "rami  DARWISH")] == ["W-002"]
        assert sources.find_sources_by_name(s, "Omar Darwish") == []


def test_name_index_is_rebuilt_when_the_name_rules_change(
    workspace_and_key: tuple[Workspace, WorkspaceKey],
) -> None:
    """Terms made under older name rules would no longer match: the first search rebuilds."""
    from sqlalchemy import delete

    from sijill.services import name_index
    from sijill.store import meta
    from sijill.store.schema import blind_index

    ws, key = workspace_and_key
    case_id = _setup(ws, key)
    with open_session(ws, "nour", key=key) as s:
        sources.add_source(s, case_id, "survivor", SourceIdentity(name_ar="محمد الخطيب"))
        assert sources.find_sources_by_name(s, "Mohammed al-Khatib") != []
    with ws.engine.begin() as conn:  # as if the terms had been made by an older release
        conn.execute(delete(blind_index))
        meta.set_value(conn, name_index.INDEX_VERSION_KEY, "names-0")
    with open_session(ws, "nour", key=key) as s:
        assert [src.code for src in sources.find_sources_by_name(s, "Mohammed al-Khatib")] == [
            "W-001"
        ]
    with ws.engine.connect() as conn:
        assert name_index.index_is_current(conn)
        actions = [e.action for e in audit.read_entries(conn)]
    assert actions.count("source.identity.reindex") == 2  # first search ever, then the change


def test_a_refusal_after_a_write_is_audited_without_waiting_on_its_own_session(
    workspace_and_key: tuple[Workspace, WorkspaceKey],
) -> None:
    """Reading a sealed transcript writes an audit entry; a refusal later in the same session
    must not wait on that session's own lock (it used to, from a second connection)."""
    import threading

    ws, key = workspace_and_key
    case_id = _setup(ws, key)
    with open_session(ws, "nour", key=key) as s:
        src = sources.add_source(s, case_id, "survivor")
        code = testimonies.add_testimony(s, src.code, transcript="what was seen").code
    outcome: list[BaseException | None] = []

    def analyst_reads_then_edits() -> None:
        try:
            with open_session(ws, "sami", key=key) as s:
                assert testimonies.get_testimony(s, code).current.transcript == "what was seen"
                testimonies.edit_testimony(s, code, reason="try", summary="changed")
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=analyst_reads_then_edits)
    worker.start()
    worker.join(30)
    assert not worker.is_alive(), "the refusal waited on its own session's lock"
    assert isinstance(outcome[0], PermissionDeniedError)
    with ws.engine.connect() as conn:
        entries = audit.read_entries(conn)
    assert [(e.actor, e.action) for e in entries][-1] == ("sami", "refused")


def test_codes_are_never_reused_after_a_deletion(
    workspace_and_key: tuple[Workspace, WorkspaceKey],
) -> None:
    ws, key = workspace_and_key
    case_id = _setup(ws, key)
    with open_session(ws, "admin", key=key) as s:
        for _ in range(3):
            src = sources.add_source(s, case_id, "survivor")
            testimonies.add_testimony(s, src.code, summary="account")
        sources.delete_source(s, "W-002")  # its testimony T-002 goes with it
        w4 = sources.add_source(s, case_id, "survivor")
        t4 = testimonies.add_testimony(s, w4.code, summary="another account")
    assert (w4.code, t4.code) == ("W-004", "T-004")


@pytest.mark.parametrize("existing", [0, 1])
def test_concurrent_writers_get_distinct_codes(
    workspace_and_key: tuple[Workspace, WorkspaceKey], existing: int
) -> None:
    """A second writer waits for the first one's code instead of failing on the same code."""
    import threading

    ws, key = workspace_and_key
    case_id = _setup(ws, key)
    with open_session(ws, "admin", key=key) as s:
        for _ in range(existing):
            sources.add_source(s, case_id, "survivor")
    first_has_code = threading.Event()
    codes: dict[str, str] = {}
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with open_session(ws, "admin", key=key) as s:
                codes["first"] = sources.add_source(s, case_id, "survivor").code
                first_has_code.set()
                time.sleep(0.5)  # hold the transaction open while the second writer starts
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
            first_has_code.set()

    def second() -> None:
        first_has_code.wait(10)
        try:
            with open_session(ws, "admin", key=key) as s:
                codes["second"] = sources.add_source(s, case_id, "survivor").code
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(codes.values()) == [f"W-{existing + 1:03d}", f"W-{existing + 2:03d}"]
