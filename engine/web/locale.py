"""Languages: pages speak Chinese (zh_CN) by default, English on request; the JSON API
speaks English unless the client asks for Chinese (Accept-Language or ?lang=).

The choice is `?lang=xx` (remembered in a cookie), else the `lang` cookie, else the
default for the kind of request. Definition titles and labels are shown as written.
"""
from __future__ import annotations

from flask import Flask, request
from flask_babel import Babel

from engine.i18n import _, problem_text

LANGUAGES = {"zh_CN": "中文", "en": "English"}
COOKIE = "lang"


def _normalise(value: str | None) -> str | None:
    if not value:
        return None
    value = value.replace("-", "_")
    if value.lower().startswith("zh"):
        return "zh_CN"
    if value.lower().startswith("en"):
        return "en"
    return None


def select_locale() -> str:
    chosen = _normalise(request.args.get("lang")) or _normalise(request.cookies.get(COOKIE))
    if chosen:
        return chosen
    if request.path.startswith("/api/"):
        return _normalise(request.accept_languages.best_match(["en", "zh-CN", "zh"])) or "en"
    return "zh_CN"


def ui_text() -> dict[str, str]:
    """The words the page scripts show, in the page's language (rendered by base.html as
    JSON; app.js reads every visible word from it). `{name}` marks a value put in by JS."""
    return {
        "no_results": _("No results found"),
        "loading_more": _("Loading more results…"),
        "no_more_results": _("No more results"),
        "remove": _("Remove"),
        "file_too_large": _("The file is larger than {size}"),
        "file_type": _("Allowed file types: {types}"),
    }


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(ui_text=ui_text)
    app.jinja_env.filters["problem_text"] = problem_text
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "zh_CN")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    Babel(app, locale_selector=select_locale, default_timezone="UTC")

    @app.after_request
    def remember_language(response):
        wanted = _normalise(request.args.get("lang"))
        if wanted and request.cookies.get(COOKIE) != wanted:
            response.set_cookie(COOKIE, wanted, max_age=365 * 24 * 3600, samesite="Lax",
                                secure=app.config["SESSION_COOKIE_SECURE"])
        return response
