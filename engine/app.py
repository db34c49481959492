"""The app factory: `create_app(settings=None)` builds the Flask app; nothing runs at import time
of `engine` itself, so `import engine.definitions` (and `engine validate`) never loads Flask."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from flask.json.provider import DefaultJSONProvider
from werkzeug.routing import IntegerConverter

from engine.api import bp as api_bp
from engine.errors import SettingsInvalid
from engine.notify.delivery import Channels
from engine.settings import load_settings
from engine.store.db import Database
from engine.ui import init_app as init_pages
from engine.ui.designer_preview import bp as designer_preview_bp
from engine.web import locale, login
from engine.web.context import EngineState
from engine.web.errors import register_error_handlers
from engine.web.limits import EngineRequest, bound_query, refuse_unstorable_page_text
from engine.web.security import csrf, init_security
from engine.web.startup import open_holder, wait_for_database


class EngineJSON(DefaultJSONProvider):
    """JSON answers keep non-ASCII text as it is and keys in the order they were built."""

    ensure_ascii = False
    sort_keys = False


class IdConverter(IntegerConverter):
    """A record, task, file... id in a URL: a positive BIGINT; anything longer is simply not found."""

    regex = r"[1-9]\d{0,17}"


def create_app(settings: Mapping[str, Any] | None = None) -> Flask:
    """App factory: settings from the environment, overridden by `settings` (tests)."""
    values = load_settings(settings)
    problems = Channels.from_settings(values).problems()
    if problems:  # a robot map that is not JSON …: said at start, not at every delivery
        raise SettingsInvalid("settings cannot be used: " + "; ".join(problems))
    app = Flask("engine", static_folder="ui/static", static_url_path="/static")
    app.url_map.converters["id"] = IdConverter
    app.request_class = EngineRequest
    app.config.update(
        SECRET_KEY=values["ENGINE_SECRET_KEY"],
        MAX_CONTENT_LENGTH=values["ENGINE_MAX_UPLOAD"] + 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
        JSON_SORT_KEYS=False,
        ENGINE=values,
    )
    app.json = EngineJSON(app)
    db = Database(values["DATABASE_URL"])
    holder = open_holder(values["ENGINE_CONFIG_DIR"], db, values["ENGINE_RELOAD_INTERVAL"])  # 503 while the db is down
    app.extensions["engine"] = EngineState(db, holder, values, ZoneInfo(values["ENGINE_TIMEZONE"]))
    app.before_request(bound_query)  # a query string too long or with too many parameters: refused at once
    app.before_request(wait_for_database)  # nothing after this touches a missing db

    csrf.init_app(app)
    login.init_app(app)
    locale.init_app(app)
    csrf.exempt(api_bp)  # the API checks CSRF itself, only for cookie sessions
    app.register_blueprint(api_bp)
    init_pages(app)
    app.register_blueprint(designer_preview_bp)  # the designer's preview of a draft as one role
    app.before_request(refuse_unstorable_page_text)  # after CSRF, which reads the form anyway
    register_error_handlers(app)

    init_security(app, values)  # headers, cookies, HTTPS and proxies

    return app
