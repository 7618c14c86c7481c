"""The database schema (SQLAlchemy Core). Alembic migrations are generated from and checked against it."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)


def _created() -> Column[object]:
    return Column("created_at", DateTime(timezone=True), nullable=False)


workspace_meta = Table(
    "workspace_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False, default=""),
    Column("role", String(32), nullable=False),
    Column("password_hash", String(200)),
    Column("totp_secret", LargeBinary),  # sealed by the vault
    Column("disabled", Boolean, nullable=False, default=False),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", DateTime(timezone=True)),
    Column("sessions_valid_after", DateTime(timezone=True)),
    Column("language", String(8), nullable=False, default="en"),
    _created(),
    # Time step of the last TOTP code accepted: a code is good for one sign-in only.
    Column("totp_last_step", BigInteger),
)

# Server-side web sessions; only a hash of the session id is stored.
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("second_factor_done", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(64), nullable=False, unique=True),
    Column("title", String(300), nullable=False),
    Column("description", Text, nullable=False, default=""),
    _created(),
)

case_members = Table(
    "case_members",
    metadata,
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", ForeignKey("cases.id"), nullable=False, index=True),
    Column("code", String(32), nullable=False, unique=True),
    Column("kind", String(32), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("reliability", String(1)),
    _created(),
)

# Identity fields of a source: one sealed value per field (see store/identities.py).
source_identity_fields = Table(
    "source_identity_fields",
    metadata,
    Column("source_id", ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True),
    Column("field", String(32), primary_key=True),
    Column("sealed", LargeBinary, nullable=False),
)

# Per-record data keys, wrapped by the workspace key; deleting the row crypto-shreds the record.
data_keys = Table(
    "data_keys",
    metadata,
    Column("owner_table", String(64), primary_key=True),
    Column("owner_id", Integer, primary_key=True),
    Column("wrapped", LargeBinary, nullable=False),
    Column("key_version", Integer, nullable=False, default=1),
)

# Keyed HMACs of normalised name forms, for look-up and blocking without decryption.
blind_index = Table(
    "blind_index",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("owner_table", String(64), nullable=False),
    Column("owner_id", Integer, nullable=False),
    Column("field", String(32), nullable=False),
    Column("token", String(64), nullable=False),
    Index("ix_blind_index_token", "token"),
    Index("ix_blind_index_owner", "owner_table", "owner_id"),
)

source_relations = Table(
    "source_relations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("from_source_id", ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    Column("to_source_id", ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("note", Text, nullable=False, default=""),
    UniqueConstraint("from_source_id", "to_source_id", "kind", name="uq_source_relations_pair"),
)

testimonies = Table(
    "testimonies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", ForeignKey("cases.id"), nullable=False, index=True),
    Column("source_id", ForeignKey("sources.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("code", String(32), nullable=False, unique=True),
    Column("current_version", Integer, nullable=False, default=1),
    Column("withdrawn_at", DateTime(timezone=True)),
    _created(),
)

testimony_versions = Table(
    "testimony_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "testimony_id", ForeignKey("testimonies.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("version", Integer, nullable=False),
    Column("date_earliest", Date),
    Column("date_latest", Date),
    Column("date_precision", String(16)),
    Column("date_text", String(100)),
    Column("language", String(8), nullable=False),
    Column("summary", Text, nullable=False, default=""),
    Column("transcript", Text, nullable=False, default=""),
    # A transcript marked sensitive is sealed (envelope encryption) and `transcript` stays empty.
    Column("sensitive", Boolean, nullable=False, default=False, server_default=false()),
    Column("transcript_sealed", LargeBinary),
    Column("place", Text, nullable=False, default=""),  # general place; the exact one is identity
    Column("interviewer", String(200), nullable=False, default=""),
    Column("attachments", JSON, nullable=False, default=list),
    Column("edited_by", String(64), nullable=False, default=""),
    Column("edited_at", DateTime(timezone=True), nullable=False),
    Column("reason", Text, nullable=False, default=""),
    UniqueConstraint("testimony_id", "version", name="uq_testimony_versions_version"),
)

consents = Table(
    "consents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", ForeignKey("sources.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("scope", String(16), nullable=False),
    Column("given_on", Date, nullable=False),
    Column("withdrawn_on", Date),
    Column("note", Text, nullable=False, default=""),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", ForeignKey("cases.id"), nullable=False, index=True),
    Column("code", String(32), nullable=False, unique=True),
    Column("violation_type", String(64), nullable=False),
    Column("title", String(300), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("date_earliest", Date),
    Column("date_latest", Date),
    Column("date_precision", String(16)),
    Column("date_text", String(100)),
    Column("governorate_pcode", String(16)),
    Column("place_pcode", String(16)),
    Column("place_text", Text, nullable=False, default=""),
    Column("count_min", Integer),
    Column("count_max", Integer),
    Column("perpetrators", JSON, nullable=False, default=list),
    Column("parent_event_id", ForeignKey("events.id")),
    _created(),
)

_NAME_COLS = [
    Column(f"{part}_{script}", String(200), nullable=False, default="")
    for script in ("ar", "latin")
    for part in ("given", "father", "grandfather", "family", "mother")
]

people = Table(
    "people",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", ForeignKey("cases.id"), index=True),
    Column("kind", String(16), nullable=False),
    *_NAME_COLS,
    Column("aliases", JSON, nullable=False, default=list),
    Column("sex", String(8), nullable=False, default="unknown"),
    Column("birth_earliest", Date),
    Column("birth_latest", Date),
    Column("birth_precision", String(16)),
    Column("birth_text", String(100)),
    Column("origin_pcode", String(16)),
    Column("notes", Text, nullable=False, default=""),
    _created(),
)

involvements = Table(
    "involvements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("role", String(16), nullable=False),
    Column("details", Text, nullable=False, default=""),
)

claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", ForeignKey("cases.id"), nullable=False, index=True),
    Column(
        "testimony_id", ForeignKey("testimonies.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("testimony_version", Integer, nullable=False, default=1),
    Column("source_id", ForeignKey("sources.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("subject", String(200), nullable=False),
    Column("attribute", String(32), nullable=False),
    Column("value_text", Text, nullable=False, default=""),
    Column("count_min", Integer),
    Column("count_max", Integer),
    Column("date_earliest", Date),
    Column("date_latest", Date),
    Column("date_precision", String(16)),
    Column("date_text", String(100)),
    Column("place_pcode", String(16)),
    Column("basis", String(16), nullable=False),
    Column("heard_from_source_id", ForeignKey("sources.id", ondelete="SET NULL")),
    Column("passage", Text, nullable=False, default=""),
    Column("credibility", Integer),
    _created(),
)

# How a contradiction between claims was reconciled, and by whom (corroboration issue).
claim_resolutions = Table(
    "claim_resolutions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", ForeignKey("cases.id"), nullable=False),
    Column("claim_a_id", ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
    Column("claim_b_id", ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
    Column("resolution", Text, nullable=False),
    Column("resolved_by", String(64), nullable=False),
    Column("resolved_at", DateTime(timezone=True), nullable=False),
)

victim_lists = Table(
    "victim_lists",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("organisation", String(200), nullable=False, default=""),
    Column("file_name", String(500), nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("encoding", String(32), nullable=False, default=""),
    Column("id_column", String(200)),
    Column("mapping", JSON, nullable=False, default=dict),
    Column("row_count", Integer, nullable=False),
    Column("imported_by", String(64), nullable=False, default=""),
    Column("imported_at", DateTime(timezone=True), nullable=False),
)

list_records = Table(
    "list_records",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("list_id", ForeignKey("victim_lists.id", ondelete="CASCADE"), nullable=False),
    Column("row_number", Integer, nullable=False),
    Column("record_id", String(200), nullable=False),
    Column("raw", JSON, nullable=False),
    Column("given", String(200), nullable=False, default=""),
    Column("father", String(200), nullable=False, default=""),
    Column("grandfather", String(200), nullable=False, default=""),
    Column("family", String(200), nullable=False, default=""),
    Column("mother", String(200), nullable=False, default=""),
    Column("full_name", String(500), nullable=False, default=""),
    Column("sex", String(8), nullable=False, default="unknown"),
    Column("birth_earliest", Date),
    Column("birth_latest", Date),
    Column("death_earliest", Date),
    Column("death_latest", Date),
    Column("death_precision", String(16)),
    Column("governorate_pcode", String(16)),
    Column("place_text", Text, nullable=False, default=""),
    UniqueConstraint("list_id", "record_id", name="uq_list_records_record"),
    Index("ix_list_records_list", "list_id", "row_number"),
)

evidence_items = Table(
    "evidence_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", ForeignKey("cases.id"), nullable=False, index=True),
    Column("code", String(32), nullable=False, unique=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("original_name", String(500), nullable=False),
    Column("size", Integer, nullable=False),
    Column("media_type", String(100), nullable=False),
    Column("sensitive", Boolean, nullable=False, default=False),
    Column("description", Text, nullable=False, default=""),
    Column("added_at", DateTime(timezone=True), nullable=False),
)

custody_entries = Table(
    "custody_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "evidence_id",
        ForeignKey("evidence_items.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("action", String(64), nullable=False),
    Column("reason", Text, nullable=False, default=""),
)

# Hash-chained audit log: every write and every read of protected data.
audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", String(40), nullable=False),  # ISO-8601 UTC, hashed exactly as stored
    Column("actor", String(64), nullable=False),
    Column("action", String(64), nullable=False),
    Column("target", String(200), nullable=False, default=""),
    Column("details", Text, nullable=False, default="{}"),  # canonical JSON, no protected plaintext
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

# Record linkage (issue 4): runs with their settings and input hashes, scored pairs, human
# decisions (history kept: a new decision supersedes), and each run's people.
linkage_runs = Table(
    "linkage_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    _created(),
    Column("created_by", String(64), nullable=False),
    Column("settings", JSON, nullable=False),
    Column("input_hashes", JSON, nullable=False),
    Column("status", String(16), nullable=False),
    Column("metrics", JSON, nullable=False, default=dict),
)

linkage_pairs = Table(
    "linkage_pairs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", ForeignKey("linkage_runs.id", ondelete="CASCADE"), nullable=False),
    Column("record_a_id", ForeignKey("list_records.id", ondelete="CASCADE"), nullable=False),
    Column("record_b_id", ForeignKey("list_records.id", ondelete="CASCADE"), nullable=False),
    Column("match_probability", Float, nullable=False),
    Column("match_weight", Float, nullable=False),
    Column("in_review", Boolean, nullable=False, default=False),
    UniqueConstraint("run_id", "record_a_id", "record_b_id", name="uq_linkage_pairs_pair"),
    Index("ix_linkage_pairs_review", "run_id", "in_review"),
)

review_decisions = Table(
    "review_decisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("record_a_id", ForeignKey("list_records.id", ondelete="CASCADE"), nullable=False),
    Column("record_b_id", ForeignKey("list_records.id", ondelete="CASCADE"), nullable=False),
    Column("decision", String(16), nullable=False),
    Column("reason", Text, nullable=False, default=""),
    Column("decided_by", String(64), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    Column("current", Boolean, nullable=False, default=True),
    Index("ix_review_decisions_pair", "record_a_id", "record_b_id"),
)

record_clusters = Table(
    "record_clusters",
    metadata,
    Column("run_id", ForeignKey("linkage_runs.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "list_record_id",
        ForeignKey("list_records.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("person_key", Integer, nullable=False),
    Index("ix_record_clusters_person", "run_id", "person_key"),
)
