"""HTTP hardening for every answer, and deployment behind HTTPS and reverse proxies.

- ENGINE_HTTPS: cookies (session, remember, language) get `Secure`, answers carry
  `Strict-Transport-Security` for ENGINE_HSTS_SECONDS, and generated links use https.
- ENGINE_PROXY_COUNT: the number of reverse proxies in front of the app whose
  X-Forwarded-For/-Proto/-Host/-Port/-Prefix headers are believed (Werkzeug's ProxyFix);
  0 believes none, so a client cannot fake its address (the login throttle counts by it).
- Every answer except static files is `Cache-Control: no-store`: pages, API answers,
  exports and file downloads hold data of a logged-in user and must not stay in a shared
  or browser cache.
"""
from __future__ import annotations

from typing import Any

from flask import Flask, Response, request
from flask_wtf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
       "script-src 'self'; object-src 'none'; frame-ancestors 'self'; base-uri 'self'")
CACHEABLE_ENDPOINTS = ("static", "favicon")

#: CSRF protection of page forms (the API checks it itself, only for cookie sessions).
csrf = CSRFProtect()


def init_security(app: Flask, settings: dict[str, Any]) -> None:
    https = bool(settings["ENGINE_HTTPS"])
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=https,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=https,
        PREFERRED_URL_SCHEME="https" if https else "http",
    )
    proxies = int(settings["ENGINE_PROXY_COUNT"])
    if proxies > 0:
        # Flask's documented way to wrap its WSGI app; its types declare wsgi_app a method only
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies,  # type: ignore[method-assign]
                                x_host=proxies, x_port=proxies, x_prefix=proxies)
    hsts = int(settings["ENGINE_HSTS_SECONDS"])

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy", CSP)
        if https and hsts > 0:
            response.headers.setdefault("Strict-Transport-Security", f"max-age={hsts}; includeSubDomains")
        if request.endpoint not in CACHEABLE_ENDPOINTS:
            response.headers["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        return response
