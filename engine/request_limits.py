"""Bounds on the query string, checked before anything else of a request runs.

`engine serve` (gunicorn) refuses a request line longer than 8190 bytes itself, and nginx
in the documented production setup does the same; what gets past them (or past another
server, e.g. the development server) is bounded here so that a query costs little: the
query string may hold at most MAX_QUERY_BYTES bytes and MAX_QUERY_PARAMS parameters.
"""
from __future__ import annotations

from flask import jsonify, request

#: The longest request line gunicorn accepts (its limit_request_line maximum).
MAX_REQUEST_LINE = 8190
MAX_QUERY_BYTES = 8000
MAX_QUERY_PARAMS = 200


def bound_query():
    """A before-request hook: None, or the refusal (414/400) in the API's JSON envelope
    under /api, a page in the user's language elsewhere."""
    from engine.api.errors import error_body, html_error, wants_json
    from engine.i18n import _

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
