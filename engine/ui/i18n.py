"""Languages: pages speak Chinese (zh_CN) by default, English on request; the JSON API
speaks English unless the client asks for Chinese (Accept-Language or ?lang=).

The choice is `?lang=xx` (remembered in a cookie), else the `lang` cookie, else the
default for the kind of request. Definition titles and labels are shown as written.
"""
from __future__ import annotations

from flask import Flask, request
from flask_babel import Babel

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


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "zh_CN")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    Babel(app, locale_selector=select_locale, default_timezone="UTC")

    @app.after_request
    def remember_language(response):
        wanted = _normalise(request.args.get("lang"))
        if wanted and request.cookies.get(COOKIE) != wanted:
            response.set_cookie(COOKIE, wanted, max_age=365 * 24 * 3600, samesite="Lax")
        return response
