"""Environment settings (`DATABASE_URL`, `ENGINE_*`) → Flask `app.config` keys.

"Settings" are environment and deployment values; the JSON in `configs/` are
*definitions* (see `engine.definitions`).
"""
from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DEFAULTS: dict[str, Any] = {
    "DATABASE_URL": "sqlite:///instance/engine.db",
    "ENGINE_CONFIG_DIR": "./configs",
    "ENGINE_SECRET_KEY": None,
    "ENGINE_SMTP_URL": None,
    "ENGINE_WEBHOOK_URL": None,
    "ENGINE_MAIL_FROM": "engine@localhost",
    # Link to records in emails and webhooks, e.g. https://erp.example.com
    "ENGINE_BASE_URL": None,
    # `engine serve`: run the scheduler (reminders, deliveries) alongside: "auto" = with 1 worker
    "ENGINE_SCHEDULER": "auto",
    "ENGINE_TIMEZONE": "Asia/Shanghai",
    "ENGINE_MAX_UPLOAD": 10 * 1024 * 1024,
    # Largest JSON request body (bytes); bigger bodies get 413 before they are read.
    "ENGINE_MAX_JSON_BODY": 1024 * 1024,
    # Largest page form post that is not a file upload (bytes), and largest text field of an
    # upload form; bigger ones get a 413 page before they are read.
    "ENGINE_MAX_FORM_BODY": 1024 * 1024,
    # Uploads not attached to a record are deleted after this many hours (scheduler pass)...
    "ENGINE_UPLOAD_GRACE_HOURS": 24.0,
    # ...and one user may hold at most this many bytes of them at a time.
    "ENGINE_UPLOAD_QUOTA": 100 * 1024 * 1024,
    # How often (seconds) a process looks at the definition files for changes.
    "ENGINE_RELOAD_INTERVAL": 1.0,
    # Import: rows with content, and cells (rows × header columns), one file may hold.
    "ENGINE_IMPORT_MAX_ROWS": 10_000,
    "ENGINE_IMPORT_MAX_CELLS": 1_000_000,
    # Behind HTTPS: Secure cookies, HSTS (ENGINE_HSTS_SECONDS, 0 = none), https links.
    "ENGINE_HTTPS": False,
    "ENGINE_HSTS_SECONDS": 365 * 24 * 3600,
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host/-Prefix are trusted.
    "ENGINE_PROXY_COUNT": 0,
    # Login throttling: failed tries per account / per client address within the window
    # (seconds) before that account / address is locked for the lockout (seconds).
    "ENGINE_LOGIN_MAX_FAILURES": 5,
    "ENGINE_LOGIN_ADDRESS_MAX_FAILURES": 20,
    "ENGINE_LOGIN_WINDOW": 900,
    "ENGINE_LOGIN_LOCKOUT": 900,
}

FLAG_TRUE = ("1", "true", "yes", "on")


def load_settings(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Defaults, then the environment, then explicit overrides (tests)."""
    settings = dict(DEFAULTS)
    for key in DEFAULTS:
        if key in os.environ:
            settings[key] = os.environ[key]
    if overrides:
        settings.update(overrides)
    settings["ENGINE_RELOAD_INTERVAL"] = float(settings["ENGINE_RELOAD_INTERVAL"])
    settings["ENGINE_MAX_UPLOAD"] = int(settings["ENGINE_MAX_UPLOAD"])
    settings["ENGINE_MAX_JSON_BODY"] = int(settings["ENGINE_MAX_JSON_BODY"])
    settings["ENGINE_MAX_FORM_BODY"] = int(settings["ENGINE_MAX_FORM_BODY"])
    settings["ENGINE_UPLOAD_GRACE_HOURS"] = float(settings["ENGINE_UPLOAD_GRACE_HOURS"])
    settings["ENGINE_UPLOAD_QUOTA"] = int(settings["ENGINE_UPLOAD_QUOTA"])
    for key in ("ENGINE_IMPORT_MAX_ROWS", "ENGINE_IMPORT_MAX_CELLS"):
        settings[key] = int(settings[key])
    settings["ENGINE_HTTPS"] = str(settings["ENGINE_HTTPS"]).strip().lower() in FLAG_TRUE
    for key in ("ENGINE_HSTS_SECONDS", "ENGINE_PROXY_COUNT", "ENGINE_LOGIN_MAX_FAILURES",
                "ENGINE_LOGIN_ADDRESS_MAX_FAILURES", "ENGINE_LOGIN_WINDOW", "ENGINE_LOGIN_LOCKOUT"):
        settings[key] = int(settings[key])
    if not settings["ENGINE_SECRET_KEY"]:
        settings["ENGINE_SECRET_KEY"] = _instance_secret(settings["DATABASE_URL"])
    return settings


def _instance_secret(database_url: str) -> str:
    """A secret kept next to the SQLite database, so sessions survive restarts in dev."""
    folder = Path("instance")
    path = folder / "secret_key"
    try:
        if path.exists():
            return path.read_text().strip()
        folder.mkdir(exist_ok=True)
        key = secrets.token_hex(32)
        path.write_text(key)
        path.chmod(0o600)
        return key
    except OSError:
        return secrets.token_hex(32)
