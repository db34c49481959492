"""Bounds on the query string, checked before anything else of a request runs.

`engine serve` (gunicorn) refuses a request line longer than 8190 bytes itself, and nginx
in the documented production setup does the same; what gets past them (or past another
server, e.g. the development server) is bounded here so that a query costs little: the
query string may hold at most MAX_QUERY_BYTES bytes and MAX_QUERY_PARAMS parameters.

Bodies are bounded per kind of request by `EngineRequest` (the app's request class), and
text no database can store is refused at the door (`refuse_unstorable_text`).
"""
from __future__ import annotations

from flask import Request, current_app, jsonify, request
from werkzeug.datastructures import MultiDict

from engine.errors import BadRequest
from engine.text_checks import text_problem

from .json_input import listing

#: The longest request line gunicorn accepts (its limit_request_line maximum).
MAX_REQUEST_LINE = 8190
MAX_QUERY_BYTES = 8000
MAX_QUERY_PARAMS = 200


def bound_query():
    """A before-request hook: None, or the refusal (414/400) in the API's JSON envelope
    under /api, a page in the user's language elsewhere."""
    from engine.i18n import _

    from .errors import error_body, html_error, wants_json

    query = request.query_string
    if len(query) > MAX_QUERY_BYTES:
        status, code = 414, "uri_too_long"
        message = _("the query string is %(got)s bytes long; at most %(n)s are allowed",
                    got=len(query), n=MAX_QUERY_BYTES)
    else:
        count = query.count(b"&") + 1 if query else 0
        if count <= MAX_QUERY_PARAMS:
            return None
        status, code = 400, "bad_request"
        message = _("the query string has %(got)s parameters; at most %(n)s are allowed",
                    got=count, n=MAX_QUERY_PARAMS)
    if wants_json():
        return jsonify(error_body(code, message)), status
    return html_error(status, message)


def _all_texts(values: MultiDict) -> list[str]:
    """Every key and every value of a multi-valued mapping (not only the first per key)."""
    return [text for key, items in values.lists() for text in (key, *items)]


def refuse_unstorable_text() -> None:
    """NUL characters and lone surrogates are never meaningful text, and PostgreSQL cannot
    store them: refuse them in the path, the query string, form fields and file names
    instead of failing deep inside. (A JSON body's text is checked as it is parsed, by
    json_input, when the view reads it.) The API runs this once the caller is known, so a
    stranger's upload is never parsed; the pages through `refuse_unstorable_page_text`."""
    texts = [request.path, *_all_texts(request.args)]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        texts += _all_texts(request.form)
        texts += [f.filename or "" for _key, files in request.files.lists() for f in files]
    problems = {p for p in map(text_problem, texts) if p}
    if problems:
        raise BadRequest(listing(sorted(problems)))


def refuse_unstorable_page_text() -> None:
    """Before-request hook: `refuse_unstorable_text` for every request but the API's (whose
    blueprint runs it after authenticating)."""
    if not request.path.startswith("/api/"):
        refuse_unstorable_text()


def accepts_body(limit: int):
    """Mark a view that takes a bigger body than ENGINE_MAX_FORM_BODY (a page form) or
    ENGINE_MAX_JSON_BODY (JSON): the definition editor and the designer's draft carry whole
    module files."""
    def mark(view):
        view.max_body = limit
        return view
    return mark


class EngineRequest(Request):
    """Body size limits per kind of request, refused with 413 before being read: file uploads
    (multipart) may reach MAX_CONTENT_LENGTH (ENGINE_MAX_UPLOAD plus room for the form), each
    text part of them ENGINE_MAX_FORM_BODY; JSON and every other API body stop at
    ENGINE_MAX_JSON_BODY; any other page post (a form) at ENGINE_MAX_FORM_BODY, unless its
    view says otherwise (`accepts_body`)."""

    def _view_limit(self) -> int | None:
        """The view's own limit (`accepts_body`), if it has one."""
        view = current_app.view_functions.get(self.endpoint or "") if self.url_rule is not None else None
        return getattr(view, "max_body", None)

    def _form_limit(self) -> int:
        """A page form's limit: its view's own (`accepts_body`), else ENGINE_MAX_FORM_BODY."""
        return self._view_limit() or current_app.config["ENGINE"]["ENGINE_MAX_FORM_BODY"]

    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is not None:
            return self._max_content_length
        if not current_app:
            return None
        if self.mimetype == "multipart/form-data":
            return current_app.config["MAX_CONTENT_LENGTH"]
        if self.is_json or self.path.startswith("/api/"):
            return self._view_limit() or current_app.config["ENGINE"]["ENGINE_MAX_JSON_BODY"]
        return self._form_limit()

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    @property
    def max_form_memory_size(self) -> int | None:
        if self._max_form_memory_size is not None:
            return self._max_form_memory_size
        if not current_app:
            return None
        return self._form_limit()

    @max_form_memory_size.setter
    def max_form_memory_size(self, value: int | None) -> None:
        self._max_form_memory_size = value
