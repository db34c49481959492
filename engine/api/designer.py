"""Admin API of the visual designer (docs/reference.md, Designer, drafts and versions): the
caller's draft, its check and review, publishing it, the published versions, their diff,
restoring one, and re-basing a draft on the live set. Admins only (403 otherwise)."""
from __future__ import annotations

from flask import g, jsonify, request
from flask_babel import get_locale

from engine.errors import BadRequest
from engine.services import designer as service
from engine.web import engine_state
from engine.web.limits import accepts_body

from . import bp, json_body


def _locale() -> str:
    return str(get_locale() or "en")


def _db():
    return engine_state().db


def _body(allowed: set[str]) -> dict:
    """The JSON object of the request; an empty body is {}."""
    return json_body(allowed) if request.content_length else {}


def _user():
    service.admins_only(g.get("user"))
    return g.user


def _switch() -> None:
    """This process serves the new live set at once (the others within their reload interval)."""
    holder = engine_state().holder
    try:
        holder.refresh(force=True)
    except Exception:  # noqa: BLE001 - the publish is done; serving it is the reload's job
        pass


@bp.errorhandler(service.StaleBase)
def stale(exc: service.StaleBase):
    return jsonify(exc.body()), 409


@bp.get("/admin/designer")
def designer_state():
    """Admins: the live publication (`live`), the caller's draft (`draft`: `base_signature`, `sources`,
    `updated_at`, `problems`, `stale`; or null) and the live module documents (`files`: file → document)."""
    return jsonify(service.designer_state(_db(), _user(), _locale()))


#: A draft or a check carries every module file of the set (each up to 2 MB).
DRAFT_MAX_BODY = 16 * 1024 * 1024


@bp.put("/admin/designer/draft")
@accepts_body(DRAFT_MAX_BODY)
def save_draft():
    """Admins: save the caller's draft `{"base_signature", "sources": {file: document}}` (the live set is not
    touched); answers its `problems` ({file, pointer, message}, in the caller's language) and `updated_at`.
    409 `unknown_base` when base_signature is no known version. With `"draft_updated_at"` (the `updated_at`
    of the draft the page holds, or null when it holds none), 409 `draft_changed` when the caller's draft was
    saved, published or discarded since in another window: it is never overwritten."""
    user = _user()
    body = json_body({"base_signature", "sources", "draft_updated_at"})
    extra = {"seen": body["draft_updated_at"]} if "draft_updated_at" in body else {}
    return jsonify(service.save_draft(_db(), user, body.get("base_signature"), body.get("sources"), _locale(),
                                      **extra))


@bp.delete("/admin/designer/draft")
def discard_draft():
    """Admins: discard the caller's draft."""
    return jsonify({"discarded": service.discard_draft(_db(), _user())})


@bp.post("/admin/designer/check")
@accepts_body(DRAFT_MAX_BODY)
def check_sources():
    """Admins: the problems of `{"sources": {file: document}}` (the checks of `engine validate`), nothing
    saved."""
    _user()
    body = json_body({"sources"})
    return jsonify({"problems": service.check(body.get("sources"), _locale())})


@bp.get("/admin/designer/review")
def review_draft():
    """Admins: the caller's draft against the live set: `problems`, `summary`, `diff` (file → unified diff),
    `plan` (`changes`, `refusals`), `base_signature`, `live_signature`, `stale`."""
    return jsonify(service.review(_db(), _user(), _locale()))


@bp.post("/admin/designer/publish")
def publish_draft():
    """Admins: publish the caller's draft `{"base_signature", "note"}`: 200 `{"publication", "version",
    "signature", "changes"}` (`changes`: the effects on the data, in the caller's language) and the draft is
    deleted; 409 `stale_draft` with `live` and `their_changes` when the live
    set is no longer the draft's base; 422 with `problems`; 409 `schema_change_refused` with `refusals`."""
    user = _user()
    body = _body({"base_signature", "note"})
    done = service.publish_draft(_db(), user, body.get("base_signature"), body.get("note"), _locale())
    _switch()
    return jsonify(done.as_dict())


@bp.post("/admin/designer/rebase")
def rebase_draft():
    """Admins: re-base the caller's draft on the live set keeping its changes (a 3-way merge); answers like
    GET /api/admin/designer with `conflicts` ({file, pointer, message}: the draft's side was kept)."""
    return jsonify(service.rebase(_db(), _user(), _locale()))


def _int_arg(name: str, default: int | None = None) -> int | None:
    value = request.args.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError:
        raise BadRequest(f"'{name}' must be a whole number") from None


@bp.get("/admin/designer/versions")
def list_versions():
    """Admins: the publications, newest first: `publication`, `version`, `signature`, `published_at`,
    `published_by` (null: from the files), `origin`, `note`, `restored_from`, `live`; `?before=ID&limit=50`."""
    user = _user()
    del user
    return jsonify(service.versions(_db(), _int_arg("before"), _int_arg("limit", service.PAGE) or service.PAGE))


@bp.get("/admin/designer/versions/<id:publication_id>")
def show_version(publication_id: int):
    """Admins: one publication (as in the list) with its module documents (`files`)."""
    _user()
    return jsonify(service.publication(_db(), publication_id))


@bp.get("/admin/designer/diff")
def diff_versions():
    """Admins: what changed from publication `from` to publication `to`: `summary` and `diff`
    (file → unified diff)."""
    _user()
    start, end = _int_arg("from"), _int_arg("to")
    if start is None or end is None:
        raise BadRequest("give both 'from' and 'to' (publication ids)")
    return jsonify(service.diff_publications(_db(), start, end, _locale()))


@bp.get("/admin/designer/versions/<id:publication_id>/review")
def review_restore(publication_id: int):
    """Admins: what restoring that publication would do, as the draft review says it: `problems`, `summary`,
    `diff` (file → unified diff), `plan` (`changes`, `refusals`: the effect on the stored data, with counts),
    `live_signature` (send it as the restore's `base_signature`), `publication`. Renames made since that
    version are reversed by the restore (the values follow)."""
    return jsonify(service.restore_review(_db(), _user(), publication_id, _locale()))


@bp.post("/admin/designer/versions/<id:publication_id>/restore")
def restore_version(publication_id: int):
    """Admins: publish that publication's definitions again, as a new publication `{"base_signature", "note"}`
    (`base_signature`, required: the live set the restore was reviewed against; the checks, schema plan and
    409 rule of publishing). Renames of forms, fields and stages made since that version are reversed, so
    the values typed under the new names follow. Answers `changes`: the effects on the data, in the caller's
    language."""
    user = _user()
    body = _body({"note", "base_signature"})
    done = service.restore(_db(), user, publication_id, body.get("base_signature"), body.get("note"), _locale())
    _switch()
    return jsonify(done.as_dict())
