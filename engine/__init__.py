"""Low-code workflow engine: JSON definitions → forms, workflows, reminders, pages and an API."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, Request, current_app
from flask_wtf import CSRFProtect
from werkzeug.routing import IntegerConverter

csrf = CSRFProtect()


class IdConverter(IntegerConverter):
    """A record, task, file... id in a URL: a positive BIGINT; anything longer is simply not found."""

    regex = r"[1-9]\d{0,17}"


def accepts_body(limit: int):
    """Mark a page view that takes a bigger form body than ENGINE_MAX_FORM_BODY (the
    definition editor posts whole module files)."""
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
        view = current_app.view_functions.get(self.endpoint or "") if self.url_rule is not None else None
        return getattr(view, "max_body", None)

    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is not None:
            return self._max_content_length
        if not current_app:
            return None
        settings = current_app.config["ENGINE"]
        if self.mimetype == "multipart/form-data":
            return current_app.config["MAX_CONTENT_LENGTH"]
        if self.is_json or self.path.startswith("/api/"):
            return settings["ENGINE_MAX_JSON_BODY"]
        return self._view_limit() or settings["ENGINE_MAX_FORM_BODY"]

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    @property
    def max_form_memory_size(self) -> int | None:
        if self._max_form_memory_size is not None:
            return self._max_form_memory_size
        if not current_app:
            return None
        return self._view_limit() or current_app.config["ENGINE"]["ENGINE_MAX_FORM_BODY"]

    @max_form_memory_size.setter
    def max_form_memory_size(self, value: int | None) -> None:
        self._max_form_memory_size = value


def create_app(settings: Mapping[str, Any] | None = None) -> Flask:
    """App factory: settings from the environment, overridden by `settings` (tests)."""
    from engine import ui
    from engine.api import bp as api_bp
    from engine.api.errors import register_error_handlers
    from engine.auth import web as auth_web
    from engine.request_limits import bound_query
    from engine.security import init_security
    from engine.settings import load_settings
    from engine.startup import open_holder, wait_for_database
    from engine.store.db import Database
    from engine.ui import i18n
    from engine.web import EngineState

    values = load_settings(settings)
    app = Flask(__name__, static_folder="ui/static", static_url_path="/static")
    app.url_map.converters["id"] = IdConverter
    app.request_class = EngineRequest
    app.config.update(
        SECRET_KEY=values["ENGINE_SECRET_KEY"],
        MAX_CONTENT_LENGTH=values["ENGINE_MAX_UPLOAD"] + 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
        JSON_SORT_KEYS=False,
        ENGINE=values,
    )
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    db = Database(values["DATABASE_URL"])
    holder = open_holder(values["ENGINE_CONFIG_DIR"], db, values["ENGINE_RELOAD_INTERVAL"])  # 503 while the db is down
    app.extensions["engine"] = EngineState(db, holder, values, ZoneInfo(values["ENGINE_TIMEZONE"]))
    app.before_request(bound_query)  # a query string too long or with too many parameters: refused at once
    app.before_request(wait_for_database)  # nothing after this touches a missing db

    csrf.init_app(app)
    auth_web.init_app(app)
    i18n.init_app(app)
    csrf.exempt(api_bp)  # the API checks CSRF itself, only for cookie sessions
    app.register_blueprint(api_bp)
    ui.init_app(app)
    register_error_handlers(app)

    init_security(app, values)  # headers, cookies, HTTPS and proxies

    return app
