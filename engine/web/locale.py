"""Languages: pages speak Chinese (zh_CN) by default, English on request; the JSON API
speaks English unless the client asks for Chinese (Accept-Language or ?lang=).

The language of a request, first match wins:
1. `?lang=xx`, the explicit choice (remembered in the `lang` cookie; on a page, the
   signed-in user's choice is also stored as their language, `users.language`);
2. the signed-in user's stored language (so every browser and API client of theirs, and
   what the engine writes to them, speaks it);
3. the `lang` cookie (a choice made before signing in, or by a user without one stored);
4. the default for the kind of request: the API follows Accept-Language, else English;
   pages speak Chinese.
Definition texts written in two languages ({"zh-CN", "en"}) follow the same choice
(engine.i18n.text_locale); a plain string is shown as written.
"""
from __future__ import annotations

import logging

from flask import Flask, g, request
from flask_babel import Babel
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from engine.auth.users import User, set_language
from engine.i18n import _, language_code, problem_text, request_translations

log = logging.getLogger(__name__)

LANGUAGES = {"zh_CN": "中文", "en": "English"}
COOKIE = "lang"


def _signed_in() -> User | None:
    """The request's user as far as it is known without asking for more: the API's (resolved
    before any text is made) or the browser session's; None when the database cannot say."""
    if "user" in g:
        return g.user
    try:
        return current_user.user if current_user.is_authenticated else None
    except SQLAlchemyError:  # the language is not worth failing a page for (503 pages too)
        return None


def select_locale() -> str:
    user = _signed_in()
    chosen = (language_code(request.args.get("lang")) or (user.language if user is not None else None)
              or language_code(request.cookies.get(COOKIE)))
    if chosen:
        return chosen
    if request.path.startswith("/api/"):
        return language_code(request.accept_languages.best_match(["en", "zh-CN", "zh"])) or "en"
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
        "link_cleared": _("{title} was cleared: it no longer fits the fields it depends on"),
    }


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(ui_text=ui_text)
    app.jinja_env.filters["problem_text"] = problem_text
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "zh_CN")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    Babel(app, locale_selector=select_locale, default_timezone="UTC")
    # Templates' `_` as Flask-Babel installs it, with the request's translations looked up once
    # per request (a page shows some 40 messages) rather than once per message.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # added by the i18n extension
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
        newstyle=True)

    @app.before_request
    def store_language() -> None:
        """The language switch of the pages (`?lang=xx`) stores the signed-in user's choice."""
        wanted = language_code(request.args.get("lang"))
        if wanted is None or request.method != "GET" or request.path.startswith("/api/"):
            return
        user = _signed_in()
        if user is None or user.language == wanted:
            return
        try:
            with app.extensions["engine"].db.transaction() as session:
                set_language(session, user.id, wanted)
        except SQLAlchemyError as exc:  # the page still speaks `wanted`; the next switch stores it
            log.warning("could not store the language of %s: %s", user.name, exc)

    @app.after_request
    def remember_language(response):
        wanted = language_code(request.args.get("lang"))
        if wanted and request.cookies.get(COOKIE) != wanted:
            response.set_cookie(COOKIE, wanted, max_age=365 * 24 * 3600, samesite="Lax",
                                secure=app.config["SESSION_COOKIE_SECURE"])
        return response
