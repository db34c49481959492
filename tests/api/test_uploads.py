"""Uploads have a lifecycle: a record takes them (also in a table's file column), a file
the record no longer names is deleted, unattached uploads are cleaned up by the scheduler
pass after ENGINE_UPLOAD_GRACE_HOURS, and a user's unattached uploads have a quota."""
from __future__ import annotations

import io
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select

from engine.scheduler import run_pass
from engine.services.files import purge_unattached
from engine.store.system import files

MODULE = {
    "module": "docs",
    "title": "Docs",
    "roles": [{"name": "clerk", "title": "Clerk"}],
    "forms": [{
        "name": "doc",
        "title": "Doc",
        "title_field": "title",
        "fields": [
            {"name": "title", "type": "text", "label": "Title", "required": True},
            {"name": "scan", "type": "file", "label": "Scan"},
            {"name": "parts", "type": "table", "label": "Parts", "fields": [
                {"name": "label", "type": "text", "label": "Label"},
                {"name": "sheet", "type": "file", "label": "Sheet"},
            ]},
        ],
        "permissions": {"clerk": {"create": True, "read": "all", "update": "all", "delete": "all"}},
    }],
}
URL = "/api/forms/doc/records"


@pytest.fixture
def app(write_module, make_app, tmp_path):
    folder = tmp_path / "configs"
    write_module(folder, MODULE)
    return make_app(folder, ENGINE_UPLOAD_QUOTA=1000)


@pytest.fixture
def clerk(make_user):
    return make_user("clerk1", "clerk")


def upload(client, data: bytes = b"hello", name: str = "a.txt"):
    return client.post("/api/files", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def file_ids(app) -> set[int]:
    with app.extensions["engine"].db.session() as session:
        return set(session.execute(select(files.c.id)).scalars())


def test_a_table_file_column_is_attached_and_readable_by_others(app, clerk, make_user):
    sheet = upload(clerk).get_json()["id"]
    created = clerk.post(URL, json={"fields": {"title": "T", "parts": [{"label": "p", "sheet": sheet}]}})
    assert created.status_code == 201, created.get_json()
    url = created.get_json()["fields"]["parts"][0]["sheet"]["url"]
    other = make_user("clerk2", "clerk")
    assert other.get(url).data == b"hello"
    # attached: the clean-up leaves it, however old it is
    assert purge_unattached(app.extensions["engine"].db, datetime.now(UTC) + timedelta(days=30), 24) == 0
    assert sheet in file_ids(app)


def test_replaced_cleared_and_deleted_files_are_removed(app, clerk):
    first, second, part = (upload(clerk).get_json()["id"] for _ in range(3))
    record = clerk.post(URL, json={"fields": {"title": "T", "scan": first,
                                              "parts": [{"label": "a", "sheet": part}]}}).get_json()
    patched = clerk.patch(f"{URL}/{record['id']}", json={"version": 1, "fields": {"scan": second}})
    assert patched.status_code == 200, patched.get_json()
    assert first not in file_ids(app) and second in file_ids(app)
    # a table edit that keeps the row's file keeps it
    kept = clerk.patch(f"{URL}/{record['id']}", json={"version": 2, "fields": {
        "parts": [{"label": "renamed", "sheet": part}]}})
    assert kept.status_code == 200, kept.get_json()
    assert part in file_ids(app)
    cleared = clerk.patch(f"{URL}/{record['id']}", json={"version": 3, "fields": {"parts": []}})
    assert cleared.status_code == 200
    assert part not in file_ids(app)
    assert clerk.delete(f"{URL}/{record['id']}").status_code == 204
    assert file_ids(app) == set()


def test_the_scheduler_pass_deletes_unattached_uploads_after_the_grace_period(app, clerk):
    state = app.extensions["engine"]
    old = upload(clerk).get_json()["id"]
    kept = upload(clerk).get_json()["id"]
    record = clerk.post(URL, json={"fields": {"title": "T", "scan": kept}})
    assert record.status_code == 201
    now = datetime.now(UTC)
    assert run_pass(state.db, state.holder, state.settings, now + timedelta(hours=23)).purged == 0
    report = run_pass(state.db, state.holder, state.settings, now + timedelta(hours=25))
    assert report.purged == 1 and "deleted 1 unattached upload(s)" in report.lines()
    assert file_ids(app) == {kept}
    assert clerk.get(f"/api/files/{old}").status_code == 404
    # a cleaned-up upload cannot be attached any more: a clear 422, not a broken record
    late = clerk.post(URL, json={"fields": {"title": "T2", "scan": old}})
    assert late.status_code == 422 and "scan" in late.get_json()["error"]["fields"]


def test_two_clean_ups_at_once_delete_each_stale_upload_once(app, clerk):
    db = app.extensions["engine"].db
    uploaded = datetime.now(UTC) - timedelta(days=3)
    with db.transaction() as session:
        session.execute(insert(files), [
            {"name": f"f{i}.txt", "size": 1, "content_type": "text/plain", "sha256": "0" * 64, "data": b"x",
             "uploaded_by": "clerk1", "uploaded_at": uploaded} for i in range(1500)])
    counts: list[int] = []
    errors: list[BaseException] = []

    def clean() -> None:
        try:
            counts.append(purge_unattached(db, datetime.now(UTC), 24))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=clean) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == [] and sum(counts) == 1500
    with db.session() as session:
        assert session.execute(select(func.count()).select_from(files)).scalar_one() == 0


def test_unattached_uploads_have_a_per_user_quota(app, clerk, make_user):
    assert upload(clerk, b"x" * 600).status_code == 201
    refused = upload(clerk, b"x" * 600)
    assert refused.status_code == 413
    error = refused.get_json()["error"]
    assert error["code"] == "payload_too_large" and "1000 B" in error["message"] and "600 B" in error["message"]
    # another user has a quota of their own
    assert upload(make_user("clerk2", "clerk"), b"x" * 600).status_code == 201
    # attaching frees the quota
    first = min(file_ids(app))
    assert clerk.post(URL, json={"fields": {"title": "T", "scan": first}}).status_code == 201
    assert upload(clerk, b"x" * 600).status_code == 201
