"""Environment settings (`DATABASE_URL`, `ENGINE_*`) → Flask `app.config` keys.

"Settings" are environment and deployment values; the JSON in `configs/` are
*definitions* (see `engine.definitions`).
"""
from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Setting:
    """One environment setting; `help` and `shown` (the default as people read it) make the
    settings table of docs/reference.md (`make docs`)."""

    name: str
    default: Any
    help: str
    shown: str | None = None


MB = 1024 * 1024
SETTINGS: tuple[Setting, ...] = (
    Setting("DATABASE_URL", "sqlite:///instance/engine.db",
            "SQLAlchemy URL of the database; PostgreSQL as `postgresql+psycopg://user@host/db`."),
    Setting("ENGINE_CONFIG_DIR", "./configs", "The definitions directory: every `*.json` file in it is a module."),
    Setting("ENGINE_SECRET_KEY", None, "Signs sessions and CSRF tokens.",
            "a random key kept in `instance/secret_key`"),
    Setting("ENGINE_SMTP_URL", None, "Email delivery: `smtp://user:password@host:587` (STARTTLS when offered) "
            "or `smtps://...`; without it no email is sent.", "none"),
    Setting("ENGINE_WEBHOOK_URL", None, "Every notification is also POSTed to this URL as JSON.", "none"),
    Setting("ENGINE_MAIL_FROM", "engine@localhost", "Sender address of emails."),
    Setting("ENGINE_WECOM_ROBOTS", None, "企业微信 group robots: a JSON object mapping a role name, or `*` for "
            "everybody, to a robot's webhook URL, or `{\"url\": ..., \"details\": true}` (see Notifications, chat "
            "robots).", "none"),
    Setting("ENGINE_DINGTALK_ROBOTS", None, "钉钉 custom robots: a JSON object mapping a role name, or `*`, to "
            "a robot: its webhook URL, or `{\"url\": ..., \"secret\": ..., \"details\": true}` with its 加签 "
            "secret.", "none"),
    Setting("ENGINE_FEISHU_ROBOTS", None, "飞书 custom bots: a JSON object mapping a role name, or `*`, to a "
            "bot: its webhook URL, or `{\"url\": ..., \"secret\": ..., \"details\": true}` with its signature "
            "secret.", "none"),
    Setting("ENGINE_BASE_URL", None, "The site's address, e.g. `https://erp.example.com`, for links to records "
            "in emails and webhooks.", "none"),
    Setting("ENGINE_SCHEDULER", "auto", "Run the scheduler (reminders, timers, deliveries) next to "
            "`engine serve`: `auto` (with one worker), `on` or `off`."),
    Setting("ENGINE_TIMEZONE", "Asia/Shanghai", "The zone of \"today\", of date reminders and of displayed times."),
    Setting("ENGINE_MAX_UPLOAD", 10 * MB, "Largest uploaded file, in bytes.", "10 MB"),
    Setting("ENGINE_MAX_JSON_BODY", MB, "Largest JSON body (and any other API body that is not a file upload), "
            "in bytes; bigger ones get 413 `payload_too_large` before they are read.", "1 MB"),
    Setting("ENGINE_MAX_FORM_BODY", MB, "Largest page form post that is not a file upload, and largest text "
            "field of an upload form, in bytes; bigger ones get a 413 page in the user's language before they "
            "are read (the definition editor takes up to 8 MB).", "1 MB"),
    Setting("ENGINE_UPLOAD_GRACE_HOURS", 24.0, "Hours an upload may stay unattached to a record before the "
            "scheduler pass deletes it."),
    Setting("ENGINE_UPLOAD_QUOTA", 100 * MB, "Bytes of unattached uploads one user may hold at a time "
            "(413 beyond).", "100 MB"),
    Setting("ENGINE_RELOAD_INTERVAL", 1.0, "Seconds between checks of the definition files and of the set "
            "published in the database. Above 0 the check and the loading of a changed set run beside the "
            "requests, which keep the set they have until the new one is built; 0 checks before every "
            "request, which then waits for a changed set (each request sees the live set at once)."),
    Setting("ENGINE_EXACT_TOTAL_LIMIT", 10_000, "Record lists count matching records exactly up to this many; "
            "above it `total` is an estimate (`\"total_exact\": false`; the list page shows \"10,000+\" or "
            "\"约 1,234,000\"), so a list of a million records costs what one of ten thousand does. The "
            "contract asks for at least 10,000."),
    Setting("ENGINE_IMPORT_MAX_ROWS", 10_000, "Rows with content one import file may hold."),
    Setting("ENGINE_IMPORT_MAX_CELLS", 1_000_000, "Cells (rows × header columns) one import file may hold."),
    Setting("ENGINE_HTTPS", False, "Served over HTTPS (`1`, `true`, `yes` or `on`): cookies get `Secure`, "
            "answers carry HSTS, links use https.", "off"),
    Setting("ENGINE_HSTS_SECONDS", 365 * 24 * 3600, "`Strict-Transport-Security` max-age with ENGINE_HTTPS "
            "(`0`: no HSTS header)."),
    Setting("ENGINE_PROXY_COUNT", 0, "Reverse proxies in front of the app whose "
            "`X-Forwarded-For/-Proto/-Host/-Port/-Prefix` headers are believed (nginx alone: `1`)."),
    Setting("ENGINE_LOGIN_MAX_FAILURES", 5, "Failed logins of one account within ENGINE_LOGIN_WINDOW before "
            "it is locked."),
    Setting("ENGINE_LOGIN_ADDRESS_MAX_FAILURES", 20, "Failed logins (or unknown API tokens) from one client "
            "address within ENGINE_LOGIN_WINDOW before it is locked."),
    Setting("ENGINE_LOGIN_WINDOW", 900, "Seconds over which failed logins are counted."),
    Setting("ENGINE_LOGIN_LOCKOUT", 900, "Seconds a locked account or address is refused."),
    Setting("ENGINE_COMPANY_NAME", None, "The company name printed at the head of print layouts (`header.company`).",
            "none"),
    Setting("ENGINE_COMPANY_LOGO", None, "Path of a PNG, JPG or SVG file printed as the logo at the head of print "
            "layouts (`header.logo`); a file that cannot be read is left out.", "none"),
)
DEFAULTS: dict[str, Any] = {setting.name: setting.default for setting in SETTINGS}

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
    for key in ("ENGINE_IMPORT_MAX_ROWS", "ENGINE_IMPORT_MAX_CELLS", "ENGINE_EXACT_TOTAL_LIMIT"):
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
