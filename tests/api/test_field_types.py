"""Every field type through the API: decoding, encoding, constraints, 422 per field."""
from __future__ import annotations

import io

import pytest

pytestmark = pytest.mark.kitchen

URL = "/api/forms/thing/records"


@pytest.fixture
def clerk(make_user):
    return make_user("clerk1", "clerk")


def make_thing(client, **fields):
    fields.setdefault("code", "AB-1")
    response = client.post(URL, json={"fields": fields})
    return response


def errors_of(response):
    assert response.status_code == 422, response.get_json()
    return response.get_json()["error"]["fields"]


def test_defaults_are_applied(clerk):
    body = make_thing(clerk).get_json()["fields"]
    assert body["count"] == 1
    assert body["active"] is True
    assert body["keeper"] == "clerk1"
    assert len(body["day"]) == 10


def test_every_type_round_trips(clerk):
    party = clerk.create("party", name="P1")
    upload = clerk.post("/api/files", data={"file": (io.BytesIO(b"hello"), "note.txt")},
                        content_type="multipart/form-data")
    assert upload.status_code == 201
    fields = {
        "code": "XY-42", "notes": "line1\nline2 ☃ 😀", "count": 7, "price": "12.30", "rate": "0.1250",
        "active": False, "day": "2025-02-28", "moment": "2025-03-01T09:30:00+08:00", "color": "blue",
        "tags": ["a", "c"], "mail": "a@b.cn", "tel": "010-12345678", "site": "https://example.cn/x",
        "keeper": "clerk1", "party": party["id"], "attachment": upload.get_json()["id"],
        "lines": [{"item": "x", "qty": 2, "unit_price": "1.25"}],
    }
    response = make_thing(clerk, **fields)
    assert response.status_code == 201, response.get_json()
    body = clerk.get(f"{URL}/{response.get_json()['id']}").get_json()["fields"]
    for key in ("code", "notes", "count", "price", "rate", "active", "day", "color", "tags", "mail", "tel",
                "site", "keeper", "party"):
        assert body[key] == fields[key], key
    assert body["moment"] == "2025-03-01T09:30:00+08:00"
    assert body["lines"] == [{"item": "x", "qty": 2, "unit_price": "1.25", "line_total": "2.50"}]
    assert body["total"] == "14.80"
    assert body["line_count"] == 1
    assert body["attachment"]["name"] == "note.txt" and body["attachment"]["size"] == 5
    assert clerk.get(body["attachment"]["url"]).data == b"hello"
    assert body["serial"].startswith("TH-") and body["serial"].endswith("-001")


def test_datetime_without_offset_is_company_time_and_stored_utc(clerk):
    body = make_thing(clerk, moment="2025-03-01T09:30:00").get_json()["fields"]
    assert body["moment"] == "2025-03-01T09:30:00+08:00"
    body = make_thing(clerk, code="AB-2", moment="2025-03-01T01:30:00Z").get_json()["fields"]
    assert body["moment"] == "2025-03-01T09:30:00+08:00"


@pytest.mark.parametrize(("field", "value", "fragment"), [
    ("count", "abc", "whole number"),
    ("count", 1.5, "whole number"),
    ("count", True, "whole number"),
    ("count", -1, "at least 0"),
    ("count", 1001, "at most 1000"),
    ("price", "abc", "number"),
    ("price", "1e309", "too large"),
    ("price", "NaN", "number"),
    ("price", "1.005", "decimal places"),
    ("price", "-1", "at least 0"),
    ("price", [1], "number"),
    ("active", "yes", "true or false"),
    ("day", "2024-02-30", "valid date"),
    ("day", "tomorrow", "valid date"),
    ("moment", "noon", "date and time"),
    ("color", "purple", "not one of the options"),
    ("tags", ["a", "z"], "not one of the options"),
    ("tags", "a,b", None),
    ("mail", "not-an-email", "email"),
    ("tel", "12345", "phone"),
    ("site", "javascript:alert(1)", "web address"),
    ("keeper", "nobody", "no active user"),
    ("party", 999999, "no record"),
    ("party", "x", "record id"),
    ("code", "ab-1", "format"),
    ("code", "AB-123456789", "at most 10"),
    ("code", 12, "string"),
    ("attachment", 99999, "uploaded file"),
    ("total", "5", "computed"),
    ("serial", "X", "computed"),
    ("nonexistent", 1, "unknown field"),
])
def test_bad_values_are_422_next_to_the_field(clerk, field, value, fragment):
    response = make_thing(clerk, **{field: value})
    if fragment is None:  # accepted: a single string becomes a one-element list
        assert response.status_code == 422 or response.status_code == 201
        return
    errors = errors_of(response)
    assert field in errors
    assert any(fragment in message for message in errors[field]), errors


def test_all_field_errors_are_reported_together(clerk):
    errors = errors_of(clerk.post(URL, json={"fields": {"count": "x", "color": "purple", "mail": "bad"}}))
    assert set(errors) >= {"code", "count", "color", "mail"}
    assert errors["code"] == ["required"]


def test_nothing_is_written_when_validation_fails(clerk):
    make_thing(clerk, count="x")
    assert clerk.get(URL).get_json()["total"] == 0


def test_user_field_role_restriction(clerk, make_user):
    make_user("vera", "viewer")
    errors = errors_of(make_thing(clerk, keeper="vera"))
    assert "role Clerk" in errors["keeper"][0]  # the role's title


def test_unique_values_are_enforced(clerk):
    assert make_thing(clerk, code="AB-7").status_code == 201
    errors = errors_of(make_thing(clerk, code="AB-7"))
    assert "already used" in errors["code"][0]


def test_table_rows_are_validated_per_cell(clerk):
    errors = errors_of(make_thing(clerk, lines=[{"item": "ok", "qty": 1}, {"qty": 0, "bogus": 1}]))
    assert errors["lines.1.item"] == ["required"]
    assert "at least 1" in errors["lines.1.qty"][0]
    assert errors["lines.1.bogus"] == ["unknown column"]


def test_table_max_rows(clerk):
    errors = errors_of(make_thing(clerk, lines=[{"item": str(i)} for i in range(6)]))
    assert "at most 5 rows" in errors["lines"][0]


def test_huge_table_is_refused_not_crashing(clerk):
    response = make_thing(clerk, lines=[{"item": "x"}] * 10000)
    assert response.status_code == 422


def test_visible_if_makes_a_field_required_only_when_visible(clerk):
    assert make_thing(clerk, code="AB-1", color="green").status_code == 201
    errors = errors_of(make_thing(clerk, code="AB-2", color="red"))
    assert errors["reason"] == ["required"]
    created = make_thing(clerk, code="AB-3", color="red", reason="because").get_json()
    assert created["fields"]["reason"] == "because"


def test_hidden_by_visible_if_is_not_saved(clerk):
    body = make_thing(clerk, code="AB-1", color="green", reason="ignored").get_json()
    assert body["fields"]["reason"] is None


def test_file_extension_and_size_are_checked(clerk):
    exe = clerk.post("/api/files", data={"file": (io.BytesIO(b"MZ"), "virus.exe")},
                     content_type="multipart/form-data").get_json()
    big = clerk.post("/api/files", data={"file": (io.BytesIO(b"x" * 500), "big.pdf")},
                     content_type="multipart/form-data").get_json()
    assert "not accepted" in errors_of(make_thing(clerk, attachment=exe["id"]))["attachment"][0]
    assert "larger" in errors_of(make_thing(clerk, code="AB-2", attachment=big["id"]))["attachment"][0]


def test_someone_elses_upload_cannot_be_attached(clerk, make_user):
    other = make_user("clerk2", "clerk")
    upload = other.post("/api/files", data={"file": (io.BytesIO(b"x"), "a.txt")},
                        content_type="multipart/form-data").get_json()
    assert "attachment" in errors_of(make_thing(clerk, attachment=upload["id"]))


def test_file_download_obeys_record_permissions(clerk, make_user):
    upload = clerk.post("/api/files", data={"file": (io.BytesIO(b"<script>"), "x.txt")},
                        content_type="multipart/form-data").get_json()
    assert make_thing(clerk, attachment=upload["id"]).status_code == 201
    stranger = make_user("nobody")
    assert stranger.get(f"/api/files/{upload['id']}").status_code == 404
    response = clerk.get(f"/api/files/{upload['id']}")
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_unicode_and_sql_like_values_are_stored_literally(clerk):
    notes = "客户 😀 עברית e\u0301 '; DROP TABLE rec_thing;-- % _ \\"
    created = make_thing(clerk, notes=notes).get_json()
    assert clerk.get(f"{URL}/{created['id']}").get_json()["fields"]["notes"] == notes


def test_decimal_edges_stay_exact(clerk):
    body = make_thing(clerk, price="9999999999999.99", rate="0.0001").get_json()["fields"]
    assert body["price"] == "9999999999999.99"
    assert body["rate"] == "0.0001"


def test_malformed_json_is_400(clerk):
    response = clerk.post(URL, data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"


def test_body_must_hold_fields_object(clerk):
    assert clerk.post(URL, json={"fields": [1]}).status_code == 400
    assert clerk.post(URL, json={"feilds": {}}).status_code == 400
    assert clerk.post(URL, json=[1, 2]).status_code == 400


def test_patch_of_table_replaces_rows_and_recomputes(clerk):
    created = make_thing(clerk, lines=[{"item": "a", "qty": 1, "unit_price": "2"}]).get_json()
    response = clerk.patch(f"{URL}/{created['id']}", json={"version": 1, "fields": {
        "lines": [{"item": "b", "qty": 3, "unit_price": "2"}, {"item": "c", "qty": 1, "unit_price": "1"}]}})
    body = response.get_json()
    assert response.status_code == 200, body
    assert body["fields"]["total"] == "7.00"
    assert [r["item"] for r in body["fields"]["lines"]] == ["b", "c"]


def test_patch_with_no_change_keeps_version(clerk):
    created = make_thing(clerk).get_json()
    body = clerk.patch(f"{URL}/{created['id']}", json={"version": 1, "fields": {"code": "AB-1"}}).get_json()
    assert body["version"] == 1


def test_oversized_upload_is_413(app, clerk):
    app.extensions["engine"].settings["ENGINE_MAX_UPLOAD"] = 1000
    response = clerk.post("/api/files", data={"file": (io.BytesIO(b"x" * 2000), "big.txt")},
                          content_type="multipart/form-data")
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"


def test_huge_request_body_is_413(clerk):
    response = clerk.post(URL, data=b"{" + b" " * (12 * 1024 * 1024) + b"}", content_type="application/json")
    assert response.status_code == 413


def test_upload_name_is_sanitised(clerk):
    body = clerk.post("/api/files", data={"file": (io.BytesIO(b"x"), "../../etc/passwd.txt")},
                      content_type="multipart/form-data").get_json()
    assert body["name"] == "passwd.txt"
