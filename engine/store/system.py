"""The engine's own tables (prefix `engine_`), independent of any definition."""
from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from engine.fieldtypes.dates import UTCDateTime

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

system_metadata = MetaData(naming_convention=NAMING)
ID = BigInteger().with_variant(Integer(), "sqlite")  # SQLite autoincrements INTEGER PRIMARY KEY only

users = Table(
    "engine_users", system_metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("display_name", Text),
    Column("password_hash", Text),
    Column("email", Text),
    Column("manager", String(64)),
    Column("active", Boolean, nullable=False, default=True),
    # Bumped on logout and password change: invalidates every browser session.
    Column("session_epoch", Integer, nullable=False, default=0),
    Column("created_at", UTCDateTime, nullable=False),
    # The language the user reads (a catalogue locale: zh_CN, en); NULL: the product's default.
    Column("language", String(16)),
)

user_roles = Table(
    "engine_user_roles", system_metadata,
    Column("user_id", ID, ForeignKey("engine_users.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(63), primary_key=True),
    Index("ix_engine_user_roles_role", "role"),
)

#: Each user's address for a notification channel that needs one (engine.notify.channel);
#: the email channel's address is `engine_users.email`, which came first.
user_addresses = Table(
    "engine_user_addresses", system_metadata,
    Column("user_id", ID, ForeignKey("engine_users.id", ondelete="CASCADE"), primary_key=True),
    Column("channel", String(16), primary_key=True),
    Column("address", String(255), nullable=False),
)

#: API tokens, stored only as a SHA-256 digest. `name`, `expires_at` and `revoked_at` came
#: later: columns added to an existing table must be nullable (see upgrade_system_tables).
api_tokens = Table(
    "engine_api_tokens", system_metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("user_id", ID, ForeignKey("engine_users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_used_at", UTCDateTime),
    Column("revoked", Boolean, nullable=False, default=False),
    Column("name", String(100)),
    Column("expires_at", UTCDateTime),  # None: never expires
    Column("revoked_at", UTCDateTime),
)

#: Failed logins per key ("user:NAME", "addr:ADDRESS", "token:ADDRESS") in the current window;
#: shared by every process and host, so a throttle holds however many workers answer.
login_throttle = Table(
    "engine_login_throttle", system_metadata,
    Column("key", String(160), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("window_start", UTCDateTime, nullable=False),
    Column("locked_until", UTCDateTime),
    Index("ix_engine_login_throttle_window_start", "window_start"),
)

serial_counters = Table(
    "engine_serial_counters", system_metadata,
    Column("prefix", String(255), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

files = Table(
    "engine_files", system_metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("content_type", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("uploaded_by", String(64), nullable=False),
    Column("uploaded_at", UTCDateTime, nullable=False),
    # Set when a record's file field takes it; a file belongs to one record field.
    Column("form", String(63)),
    Column("record_id", BigInteger),
    Column("field", String(127)),
    Index("ix_engine_files_record", "form", "record_id"),
)

history = Table(
    "engine_history", system_metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("form", String(63), nullable=False),
    Column("record_id", BigInteger, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("details", JSON, nullable=False),
    Index("ix_engine_history_record", "form", "record_id", "id"),
)

#: What schema sync has created: one row per form table column, with its storage signature.
schema_columns = Table(
    "engine_schema_columns", system_metadata,
    Column("table_name", String(127), primary_key=True),
    Column("column_name", String(127), primary_key=True),
    Column("form", String(63), nullable=False),
    Column("field_type", String(32), nullable=False),
    Column("signature", String(64), nullable=False),
)

#: Every definition set that was applied, for the admin's history of versions.
definition_versions = Table(
    "engine_definition_versions", system_metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("signature", String(64), nullable=False),
    Column("applied_at", UTCDateTime, nullable=False),
    Column("sources", JSON, nullable=False),
    UniqueConstraint("signature", name="uq_engine_definition_versions_signature"),
)

#: Every time a definition set went live: one row per publication (a restore of an old
#: version is a new publication of it). `published_by` NULL: from the files of the config
#: directory. origin: init | files | designer | editor | restore | import.
definition_publications = Table(
    "engine_definition_publications", system_metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("version_id", BigInteger, nullable=False, index=True),
    Column("published_at", UTCDateTime, nullable=False),
    Column("published_by", String(64)),
    Column("origin", String(16), nullable=False),
    Column("note", Text),
    Column("restored_from", BigInteger),
)

#: One designer draft per admin: the module documents being edited (file name → parsed
#: JSON), and the live version they started from.
definition_drafts = Table(
    "engine_definition_drafts", system_metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("user_name", String(64), nullable=False, unique=True),
    Column("base_version_id", BigInteger),
    Column("base_signature", String(64), nullable=False),
    Column("sources", JSON, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

#: The definition set every process serves (one row, id 1): the version last applied, and
#: the files last tried against it and refused, with the problems every process reports.
#: `publication_id`: the live publication; `files_signature`: the signature of the config
#: files the live lineage last matched (applied from them, or exported to them); NULL in
#: databases from before the designer, read as the live signature.
definition_state = Table(
    "engine_definition_state", system_metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("version_id", BigInteger, nullable=False),
    Column("signature", String(64), nullable=False),
    Column("refused_signature", String(64)),
    Column("problems", JSON, nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
    Column("publication_id", BigInteger),
    Column("files_signature", String(64)),
)

#: One row per approval run: a record entering a stage with `approval`.
approvals = Table(
    "engine_approvals", system_metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("form", String(63), nullable=False),
    Column("record_id", BigInteger, nullable=False),
    Column("stage", String(63), nullable=False),
    #: The stage the record came from: withdraw and send-back from the first step return here.
    Column("return_stage", String(63), nullable=False),
    Column("submitter", String(64), nullable=False),
    Column("status", String(16), nullable=False),  # pending | approved | rejected | withdrawn | sent_back
    Column("step_index", Integer, nullable=False),
    Column("round", Integer, nullable=False, default=1),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Index("ix_engine_approvals_record", "form", "record_id", "status"),
)

#: Approval tasks: one per approver and step activation.
tasks = Table(
    "engine_tasks", system_metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("approval_id", BigInteger, ForeignKey("engine_approvals.id", ondelete="CASCADE"), nullable=False),
    Column("form", String(63), nullable=False),
    Column("record_id", BigInteger, nullable=False),
    Column("step", String(63), nullable=False),
    Column("step_index", Integer, nullable=False),
    Column("round", Integer, nullable=False),
    Column("assignee", String(64), nullable=False),
    # open | approved | rejected | closed (by a peer or the end of the approval) | sent_back | withdrawn
    # | reassigned | skipped (passed automatically: already approved an earlier step)
    Column("status", String(16), nullable=False),
    Column("acted_by", String(64)),
    Column("acted_at", UTCDateTime),
    Column("comment", Text),
    Column("reassigned_from", String(64)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("due_at", UTCDateTime),
    Index("ix_engine_tasks_inbox", "assignee", "status"),
    Index("ix_engine_tasks_approval", "approval_id", "step_index", "round"),
    Index("ix_engine_tasks_record", "form", "record_id"),
    # The records a user takes part in (engine.access.gate.participation), read in the row filter of
    # every list, count and chart of a form with approvals: answered from the index alone.
    Index("ix_engine_tasks_participant", "assignee", "form", "status", "acted_by", "record_id"),
)

#: People copied (抄送) on an approval step: they see the record without acting.
carbon_copies = Table(
    "engine_carbon_copies", system_metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("approval_id", BigInteger, ForeignKey("engine_approvals.id", ondelete="CASCADE"), nullable=False),
    Column("form", String(63), nullable=False),
    Column("record_id", BigInteger, nullable=False),
    Column("user_name", String(64), nullable=False),
    Column("step", String(63), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_engine_carbon_copies_user", "user_name", "form", "record_id"),
)

#: Problems at run time that admins must see (e.g. an approval step that finds no approver).
incidents = Table(
    "engine_incidents", system_metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("form", String(63)),
    Column("record_id", BigInteger),
    Column("message", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("resolved_at", UTCDateTime),
)

#: Timers as data (reference: Reminders and SLAs). One row per (record, kind, name), re-armed in place, so a stage
#: entered again gets its timer again. kind: "remind" (a stage's due_at - remind_before),
#: "due" (a stage's due_at; name = the stage), "date" (a form's date reminder; name = its name).
#: status: pending → claimed (by one scheduler pass, `claim`) → fired | skipped | failed;
#: cancelled when it no longer applies. A claim older than a few minutes is taken over.
timers = Table(
    "engine_timers", system_metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("form", String(63), nullable=False),
    Column("record_id", BigInteger, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("name", String(63), nullable=False),
    Column("fire_at", UTCDateTime, nullable=False),
    Column("status", String(16), nullable=False),
    Column("claim", String(32)),
    Column("claimed_at", UTCDateTime),
    Column("armed_at", UTCDateTime, nullable=False),
    Column("fired_at", UTCDateTime),
    Column("note", Text),
    UniqueConstraint("form", "record_id", "kind", "name"),
    Index("ix_engine_timers_due", "status", "fire_at"),
)

#: In-app notifications (the bell). Text is rendered when shown, in the reader's language,
#: from `kind` and `params`; `dispatched_at` is set once its channel deliveries are planned.
notifications = Table(
    "engine_notifications", system_metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("user_name", String(64), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("params", JSON, nullable=False),
    Column("form", String(63)),
    Column("record_id", BigInteger),
    Column("created_at", UTCDateTime, nullable=False),
    Column("read_at", UTCDateTime),
    Column("dispatched_at", UTCDateTime),
    Index("ix_engine_notifications_user", "user_name", "read_at"),
    Index("ix_engine_notifications_dispatch", "dispatched_at"),
)

#: The outbox: one row per notification and channel target (engine.notify.delivery), sent
#: by the scheduler pass, never in a user's request.
deliveries = Table(
    "engine_deliveries", system_metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("notification_id", BigInteger, ForeignKey("engine_notifications.id", ondelete="CASCADE"),
           nullable=False),
    Column("channel", String(16), nullable=False),  # a registered channel's name: email, webhook, ...
    Column("target", String(255), nullable=False),
    Column("status", String(16), nullable=False),  # pending | sent | failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("last_error", Text),
    Column("sent_at", UTCDateTime),
    Index("ix_engine_deliveries_due", "status", "next_attempt_at"),
)

#: A user's own list views (engine.services.views): the list parameters they chose under a name.
saved_views = Table(
    "engine_saved_views", system_metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("user_name", String(64), nullable=False),
    Column("form", String(63), nullable=False),
    Column("name", String(100), nullable=False),
    Column("params", JSON, nullable=False),  # {"filters": {param: value}, "columns": [...], "order_by": "..."}
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("user_name", "form", "name"),
)
