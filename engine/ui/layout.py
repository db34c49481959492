"""What the layout (base.html) shows around every page for a signed-in user: the module menus,
the dashboard link and the badges (open tasks, unread notifications, open incidents).

Worked out when a template first reads them, not for every render: a page that extends no
layout (a fragment, a PDF) reads nothing. The badges are one statement, run in the page's own
use case when the template is rendered inside it, else in a read of their own."""
from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import cached_property
from typing import Any, TypeVar

from flask import current_app, g, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from engine.records.context import Context, Runtime
from engine.services.badges import Badges, badge_counts
from engine.services.charts import visible_charts
from engine.web import use_case
from engine.web.context import open_use_case
from engine.web.locale import LANGUAGES

T = TypeVar("T")


def _in_use_case(work: Callable[[Context], T]) -> T:
    ctx = open_use_case()
    if ctx is not None:
        return work(ctx)
    with use_case() as ctx:
        return work(ctx)


#: How many built links one app keeps (the layout's fixed links and one per form: far fewer).
_MOST_URLS = 4096


def page_url(endpoint: str, **values: Any) -> str:
    """`url_for(endpoint, **values)` for the layout's links, built once per app, mount point
    (the request's root path) and arguments: with no URL defaults or host rules in the app, a
    relative URL depends on nothing else, so every process builds the same one. An app with
    either, and endpoints relative to the current blueprint ('.name'), get url_for's answer."""
    if endpoint.startswith(".") or current_app.url_map.host_matching \
            or any(current_app.url_default_functions.values()):
        return url_for(endpoint, **values)
    cache: dict[tuple[Any, ...], str] = current_app.extensions.setdefault("engine_page_urls", {})
    key = (request.root_path, endpoint, *sorted(values.items()))
    url = cache.get(key)
    if url is None:
        url = url_for(endpoint, **values)
        if len(cache) < _MOST_URLS:
            cache[key] = url
    return url


class TopBar:
    """The signed-in user's menus and badges (templates read `top_bar.open_tasks` and so on)."""

    def piece(self, name: str) -> Markup:
        """base.html's part `name`, kept rendered (`layout_piece`)."""
        return layout_piece(name, self)

    @cached_property
    def badges(self) -> Badges:
        return _in_use_case(badge_counts)

    @property
    def open_tasks(self) -> int:
        return self.badges.open_tasks

    @property
    def unread_notifications(self) -> int:
        return self.badges.unread_notifications

    @property
    def open_incidents(self) -> int:
        return self.badges.open_incidents

    @cached_property
    def _menus(self) -> tuple[list[tuple[Any, list[Any]]], bool, Runtime]:
        def menus(ctx: Context) -> tuple[list[tuple[Any, list[Any]]], bool, Runtime]:
            forms = ctx.gate.readable_forms(ctx.user)
            has_charts = any(f.charts and visible_charts(ctx, f) for f in forms)
            modules = [(m, [f for f in forms if f.module == m.name]) for m in ctx.app.modules]
            return [(m, fs) for m, fs in modules if fs], has_charts, ctx.runtime
        return _in_use_case(menus)

    @property
    def nav_modules(self) -> list[tuple[Any, list[Any]]]:
        """(module, the forms of it the user may read) for each module with any."""
        return self._menus[0]

    @property
    def has_charts(self) -> bool:
        return self._menus[1]

    @property
    def runtime(self) -> Runtime:
        """The definitions the menus were worked out from."""
        return self._menus[2]


def request_top_bar() -> TopBar:
    """The request's top bar (the one the layout shows), for a page that shows its counts too."""
    if "top_bar" not in g:
        g.top_bar = TopBar()
    top_bar: TopBar = g.top_bar
    return top_bar


class NoTopBar:
    """Visitors who are not signed in (and API answers) have no menus or badges."""

    def piece(self, name: str) -> Markup:
        return layout_piece(name)

    open_tasks = unread_notifications = open_incidents = 0
    nav_modules: list[tuple[Any, list[Any]]] = []
    has_charts = False


#: Marks where a cached layout piece takes a value of the request: unguessable, so no text of a
#: definition can contain it.
_LIVE = f"\x00{secrets.token_hex(8)}:"
#: How many rendered pieces one definitions version keeps (languages x menus x mount points).
_MOST_PIECES = 512


def _badge(count: int, css: str, testid: str | None = None) -> str:
    if not count:
        return ""
    attribute = f' data-testid="{testid}"' if testid else ""
    return f' <span class="badge {css}"{attribute}>{count}</span>'


def _live_values(top_bar: TopBar | NoTopBar) -> dict[str, Callable[[], str]]:
    """What the cached pieces leave to each request: the badges, the user's name, the CSRF token,
    the search box's words (each escaped as the template would)."""
    return {
        "search": lambda: str(escape(request.args.get("q", "") if request.endpoint == "search.search_page" else "")),
        "incident_badge": lambda: _badge(top_bar.open_incidents, "text-bg-warning", "incident-badge"),
        "incident_count": lambda: _badge(top_bar.open_incidents, "text-bg-warning"),
        "unread_badge": lambda: _badge(top_bar.unread_notifications, "text-bg-danger", "unread-count"),
        "tasks_badge": lambda: _badge(top_bar.open_tasks, "text-bg-danger"),
        "user_label": lambda: str(escape(current_user.user.label)),
        "csrf_token": lambda: str(escape(generate_csrf())),
    }


def _piece_cache(runtime: Runtime | None) -> dict[tuple[Any, ...], list[str]]:
    """The rendered pieces that show definitions (the menu), of the definitions `runtime` was
    built from: a reload (a new runtime) starts afresh; those that show none (runtime None) are
    kept for the app."""
    if runtime is None:
        cache: dict[tuple[Any, ...], list[str]] = current_app.extensions.setdefault("engine_layout_pieces", {})
        return cache
    kept = current_app.extensions.get("engine_layout_menus")
    if kept is None or kept[0] is not runtime:
        kept = (runtime, {})
        current_app.extensions["engine_layout_menus"] = kept
    return kept[1]


def layout_piece(name: str, top_bar: TopBar | NoTopBar | None = None) -> Markup:
    """base.html's part `layout/<name>.html` ("head", "nav", "scripts"), rendered once per
    definitions version, language, mount point and what the part shows of the user (their
    readable menu, whether they are an admin) and kept; what is per request (badges, the user's
    name, the CSRF token, the search words) is filled in on every page."""
    context: dict[str, Any] = {}
    key: tuple[Any, ...] = (name, str(get_locale()), request.root_path)
    top_bar = top_bar or NoTopBar()
    runtime = None
    if name == "nav":
        runtime = top_bar.runtime if isinstance(top_bar, TopBar) else None
        locale = get_locale()
        context = {"nav_modules": top_bar.nav_modules, "has_charts": top_bar.has_charts,
                   "is_admin": current_user.user.is_admin,
                   "current_locale": "en" if locale is not None and locale.language == "en" else "zh_CN",
                   "languages": LANGUAGES}
        key += (tuple((m.name, tuple(f.name for f in forms)) for m, forms in context["nav_modules"]),
                context["has_charts"], context["is_admin"])
    cache = _piece_cache(runtime)
    parts = cache.get(key)
    if parts is None:
        text = current_app.jinja_env.get_template(f"layout/{name}.html").render(
            live=lambda part: Markup(f"{_LIVE}{part}\x00"), **context)
        first, *chunks = text.split(_LIVE)
        parts = [first]  # text, then (a live value's name, text) pairs
        for chunk in chunks:
            live, _end, rest = chunk.partition("\x00")
            parts += [live, rest]
        if len(cache) >= _MOST_PIECES:
            cache.clear()
        cache[key] = parts
    if len(parts) == 1:
        return Markup(parts[0])
    values = _live_values(top_bar)
    out = [parts[0]]
    for i in range(1, len(parts), 2):
        out += [values[parts[i]](), parts[i + 1]]
    return Markup("".join(out))

