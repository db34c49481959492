"""The `engine` command (docs/reference.md, Command line)."""
from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from engine.errors import DefinitionError, EngineError, SchemaChangeRefused
from engine.i18n import LOCALES, _
from engine.settings import load_settings

if TYPE_CHECKING:
    from engine.runtime import RuntimeHolder
    from engine.store.db import Database


def _settings() -> dict:
    return load_settings()


def _check_channels(settings: dict) -> None:
    """A notification channel's bad setting (a robot map that is not JSON …) stops the start,
    saying which setting and what is wrong, instead of failing every delivery."""
    from engine.notify.delivery import Channels

    problems = Channels.from_settings(settings).problems()
    if problems:
        _fail("engine: settings cannot be used:\n" + "\n".join(f"- {line}" for line in problems))


def _database(settings: dict):
    from engine.store.db import Database

    url = settings["DATABASE_URL"]
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        try:
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            from engine.store.db import unreachable_message

            _fail(f"engine: {unreachable_message(url, exc.strerror or str(exc))}")
    try:
        db = Database(url)
    except Exception as exc:  # noqa: BLE001 - a malformed URL or a missing driver
        _fail(f"engine: DATABASE_URL cannot be used: {exc}")
    context = click.get_current_context(silent=True)
    if context is not None:  # the command's connections close with it, also when it runs in-process
        context.call_on_close(db.dispose)
    return db


def _holder(settings: dict, db: Database) -> RuntimeHolder:
    """The loaded definitions of an initialised database, or exit 1 saying what is wrong."""
    from engine.runtime import NotInitialised, RuntimeHolder

    try:
        return RuntimeHolder(settings["ENGINE_CONFIG_DIR"], db)
    except NotInitialised as exc:
        _fail(str(exc))
    except DefinitionError as exc:
        _fail("definitions are invalid:\n" + "\n".join(exc.lines()))


def _fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(1)


class EngineGroup(click.Group):
    """Every command: an unreachable database, an uninitialised one or an argument that is not
    text is one clear line on standard error and exit 1, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except Exception as exc:  # noqa: BLE001 - only the kinds below are answered here
            line = _one_line(exc)
            if line is None:
                raise
            click.echo(f"engine: {line}", err=True)
            sys.exit(1)


def _one_line(exc: Exception) -> str | None:
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from engine.store.db import unreachable_message, unreachable_reason

    reason = unreachable_reason(exc)
    if reason is not None:
        return unreachable_message(load_settings()["DATABASE_URL"], reason)
    text = str(getattr(exc, "orig", "") or "")
    if isinstance(exc, OperationalError | ProgrammingError) and (
            "no such table" in text or ("relation" in text and "does not exist" in text)):
        return "the database is not initialised or not up to date: run `engine init` first"
    if isinstance(exc, UnicodeError) and "surrogate" in str(exc):
        return "arguments and files must be UTF-8 text"
    if isinstance(exc, OSError) and exc.filename:  # e.g. -o into a folder that does not exist
        return f"{exc.filename}: {exc.strerror or exc}"
    return None


@click.group(cls=EngineGroup)
def main() -> None:
    """Low-code workflow engine."""


def _lang_option(default: str):
    """--lang: the language of what a command writes for people (the catalogue's languages)."""
    from engine.i18n import LOCALES

    return click.option("--lang", "lang", type=click.Choice(LOCALES), default=default, show_default=True,
                        help="Language of headers, values and messages.")


@main.command()
@click.argument("directory", required=False)
@_lang_option("en")
def validate(directory: str | None, lang: str) -> None:
    """Validate the definitions in DIRECTORY (default: ENGINE_CONFIG_DIR). Exit 0 when they are valid;
    else exit 1 and print one `file: /json/pointer: message` line per problem (at most 200, then a line
    counting the rest), in English unless --lang says otherwise (file and pointer stay as written)."""
    from engine.definitions import load_directory

    folder = directory or _settings()["ENGINE_CONFIG_DIR"]
    try:
        app = load_directory(folder)
    except DefinitionError as exc:
        lines = exc.lines()
        if lang != "en":
            from engine.i18n import catalogue, catalogue_msgids, translate_problem

            msgids = catalogue_msgids(lang)
            lines = [translate_problem(line, catalogue(lang).gettext, msgids) for line in lines]
        for line in lines:
            click.echo(line)
        sys.exit(1)
    click.echo(f"ok: {len(app.modules)} modules, {len(app.forms)} forms in {folder}", err=True)


@main.command()
def schema() -> None:
    """Print the JSON Schema of a module file, with every field type and its options. Save it and point
    an editor at it (`"$schema"`) for completion and inline documentation."""
    import json

    from engine.definitions.schema import module_schema

    click.echo(json.dumps(module_schema(), ensure_ascii=False, indent=2))


@main.command()
@click.option("--admin-password", metavar="PASSWORD", help="Password of the `admin` user when it is created.")
def init(admin_password: str | None) -> None:
    """Create or upgrade the database schema; create user `admin` if absent."""
    from engine.auth.users import create_user, get_user
    from engine.definitions import load_directory
    from engine.store.sync import sync_schema

    settings = _settings()
    try:
        app = load_directory(settings["ENGINE_CONFIG_DIR"])
    except DefinitionError as exc:
        _fail("definitions are invalid; nothing was changed:\n" + "\n".join(exc.lines()))
    db = _database(settings)
    try:
        plan = sync_schema(db, *_init_target(db, app, settings["ENGINE_CONFIG_DIR"]))
    except SchemaChangeRefused as exc:
        _fail("schema change refused; nothing was changed:\n" + "\n".join(f"- {r}" for r in exc.reasons))
    for change in plan.changes:
        click.echo(change)
    with db.transaction() as session:
        if get_user(session, "admin") is None:
            generated = admin_password is None
            password = admin_password or os.environ.get("ENGINE_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
            create_user(session, "admin", password, {"admin"}, display_name="管理员", enforce_rules=False)
            click.echo("created user admin" + (f" with password {password}" if generated else ""))
    click.echo(f"database ready: {len(app.forms)} forms")


def _init_target(db: Database, files, config_dir: str):
    """What `engine init` applies: the files on a new database, or when they changed since the
    live set last matched them; else the live set (designer changes stay). Files changed while
    the live set has designer changes that are not in them: exit 1 (the rule of every process)."""
    from engine.definitions import load_sources
    from engine.store.definition_state import Publish, live_set, version_sources

    try:
        live = live_set(db)
    except Exception:  # noqa: BLE001 - an empty or older database: the files it is
        live = None
    if live is None:
        return files, Publish(origin="init", files_signature=files.signature)
    if files.signature in (live.signature, live.files_in_step):
        return load_sources(version_sources(db, live.version_id)), None
    if live.signature != live.files_in_step:
        from engine.runtime import files_behind

        _fail(files_behind(db, config_dir, live))
    return files, Publish(origin="files", files_signature=files.signature, base_signature=live.signature)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", default=1, show_default=True, type=int, metavar="N",
              help="Worker processes (gunicorn); with sync workers about two per CPU.")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64), metavar="N",
              help="Threads per worker process: gunicorn's gthread workers, up to N requests at once per "
                   "process, keep-alive, no time limit (the most requests per second and approvals under "
                   "load: docs/benchmarks.md, section serve). 1: its sync workers, one request at a time per "
                   "process, the steadiest tail on SQLite; put nginx in front (it buffers slow clients) and "
                   "mind --timeout.")
@click.option("--timeout", default=300, show_default=True, type=click.IntRange(1, 86400), metavar="SECONDS",
              help="With sync workers (--threads 1): a request running longer is ended and its worker "
                   "restarted; raise it if large exports or imports take longer.")
@click.option("--scheduler/--no-scheduler", default=None,
              help="Also run the reminder scheduler (default: on with 1 worker, off with more; "
                   "or ENGINE_SCHEDULER=on/off).")
def serve(host: str, port: int, workers: int, threads: int, timeout: int, scheduler: bool | None) -> None:
    """Serve the web pages and the API with gunicorn (--workers processes of --threads threads);
    with one worker (or --scheduler) the reminder scheduler runs beside it in its own process."""
    import atexit
    import subprocess

    from gunicorn.app.base import BaseApplication

    _check_channels(_settings())
    if scheduler is None:
        wanted = str(_settings().get("ENGINE_SCHEDULER", "auto")).lower()
        scheduler = workers <= 1 if wanted == "auto" else wanted in ("on", "1", "true", "yes")
    if scheduler:  # a separate process: gunicorn forks its workers, a thread would not survive that
        loop = subprocess.Popen([sys.executable, "-m", "engine.cli", "reminders", "run", "--loop"],
                                env={**os.environ, "ENGINE_SCHEDULER_PARENT": str(os.getpid())})
        atexit.register(loop.terminate)
        click.echo(f"scheduler running (process {loop.pid})")

    from engine.app import create_app
    from engine.web.limits import MAX_REQUEST_LINE

    class Server(BaseApplication):
        """gunicorn with N worker processes of --threads threads, whatever N is."""

        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", max(workers, 1))
            # threads=1 is gunicorn's sync worker, more its gthread worker (keep-alive, a queue)
            self.cfg.set("threads", threads)
            self.cfg.set("accesslog", "-")
            self.cfg.set("timeout", timeout)
            # The longest request line gunicorn allows (0 would mean unlimited); longer ones get its
            # own 400 page before the app. What passes is bounded by engine.web.limits.
            self.cfg.set("limit_request_line", MAX_REQUEST_LINE)

        def load(self):
            return create_app()

    kind = f"sync, requests end after {timeout} s" if threads == 1 else f"gthread, {threads} threads each"
    click.echo(f"serving on http://{host}:{port}/ with {max(workers, 1)} worker process(es) ({kind})")
    Server().run()


@main.command()
@click.option("--force", is_flag=True, help="Load records even if the database already has some.")
def demo(force: bool) -> None:
    """Load the demo people (each with a display name; password = user name) and demo records from
    ENGINE_CONFIG_DIR/demo/*.json: `users`, `records` per form (`$as`, `$at`, `$do`,
    `{"$ref": "form:title"}`), then `actions` (`{"form", "record", "$at", "$as", "set", "$do"}`: fields
    changed as `$as`, then transitions fired) on records made earlier. A role none of the listed people
    has gets one user named after the role."""
    from zoneinfo import ZoneInfo

    from engine.demo import DemoLoader, already_loaded

    settings = _settings()
    db = _database(settings)
    holder = _holder(settings, db)
    runtime = holder.current()
    data = sorted(Path(settings["ENGINE_CONFIG_DIR"], "demo").glob("*.json"))
    loader = DemoLoader(runtime, db, ZoneInfo(settings["ENGINE_TIMEZONE"]))
    records = force or not already_loaded(runtime, db)
    if not records:
        click.echo("records exist already: loading demo users only (use --force for records too)")
    try:
        for line in loader.load(data, records=records):
            click.echo(line)
    except (ValueError, TypeError, AttributeError, KeyError) as exc:
        _fail(f"demo data error: {exc}")
    except RecursionError:
        _fail("demo data error: nested too deeply")


@main.group()
def reminders() -> None:
    """Reminders, SLA timers and notification delivery."""


def _wait_for_holder(settings: dict, db, interval: float, stop):
    """--loop (also the scheduler `engine serve` starts): a database that cannot be reached yet,
    or is not initialised yet, is waited for, said once in one line, instead of ending the loop."""
    from engine.runtime import NotInitialised, RuntimeHolder
    from engine.store.db import unreachable_message, unreachable_reason

    said = False
    while not stop.is_set():
        try:
            return RuntimeHolder(settings["ENGINE_CONFIG_DIR"], db)
        except DefinitionError as exc:
            _fail("definitions are invalid:\n" + "\n".join(exc.lines()))
        except Exception as exc:
            reason = unreachable_reason(exc)
            if reason is None and not isinstance(exc, NotInitialised):
                raise
            if not said:
                line = unreachable_message(settings["DATABASE_URL"], reason) if reason else str(exc)
                click.echo(f"engine: {line}; waiting for it", err=True)
                said = True
            stop.wait(interval)
    return None


@reminders.command("run")
@click.option("--now", "now_text", default=None, metavar="ISO8601",
              help="Fire what is due at this time instead of the clock's (a time without an offset is "
                   "read in ENGINE_TIMEZONE).")
@click.option("--loop", is_flag=True, help="Keep running: a pass every --interval seconds.")
@click.option("--interval", default=30.0, show_default=True, type=float, metavar="SECONDS",
              help="Seconds between passes with --loop.")
def reminders_run(now_text: str | None, loop: bool, interval: float) -> None:
    """One pass: fire every timer due now and deliver notifications; print what was done.
    Safe to run from several processes or hosts at once (each reminder fires once)."""
    import threading
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from engine.scheduler import run_forever, run_pass

    settings = _settings()
    _check_channels(settings)
    db = _database(settings)
    once = None if loop else _holder(settings, db)  # an uninitialised database is said first
    now = None
    if now_text:
        try:
            now = datetime.fromisoformat(now_text)
        except ValueError:
            _fail(f"--now: not an ISO 8601 time: {now_text!r} (e.g. 2026-03-01T09:00 or 2026-03-01T09:00+08:00)")
        if now.tzinfo is None:
            now = now.replace(tzinfo=ZoneInfo(settings["ENGINE_TIMEZONE"]))
    if loop:
        if now is not None:
            _fail("--now and --loop do not go together")
        click.echo(f"scheduler: a pass every {interval:g} s (Ctrl-C to stop)")
        stop = threading.Event()
        parent = os.environ.get("ENGINE_SCHEDULER_PARENT")
        if parent:  # started by `engine serve`: end with it, even if it was killed
            def watch() -> None:
                while not stop.wait(2):
                    if str(os.getppid()) != parent:
                        stop.set()
            threading.Thread(target=watch, daemon=True).start()
        try:
            holder = _wait_for_holder(settings, db, interval, stop)
            if holder is not None:
                run_forever(db, holder, settings, interval, stop, echo=click.echo)
        except KeyboardInterrupt:
            pass
        return
    report = run_pass(db, once or _holder(settings, db), settings, now)
    for line in report.lines():
        click.echo(line)
    click.echo(f"{len([f for f in report.fired if f.status == 'fired'])} fired, "
               f"{len(report.fired)} handled, {len(report.sent)} deliveries tried at "
               f"{report.now.astimezone(UTC).isoformat(timespec='seconds')}")


def _acting(settings: dict, db, name: str):
    """A Context-maker for CLI use cases acting as user `name`."""
    from zoneinfo import ZoneInfo

    from engine.auth.users import get_user
    from engine.records.context import open_context

    holder = _holder(settings, db)
    with db.session() as session:
        user = get_user(session, name)
    if user is None or not user.active:
        _fail(_("no active user %(name)s", name=repr(name)))
    zone = ZoneInfo(settings["ENGINE_TIMEZONE"])

    def use_case(write: bool = False):
        return open_context(db, holder.current(), user, tzinfo=zone, write=write)
    return use_case


@main.command("export")
@click.argument("form")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True,
              help="File format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), metavar="FILE",
              help="File to write (default: standard output for CSV, FORM.xlsx for XLSX).")
@click.option("--as", "as_user", default="admin", show_default=True, metavar="USER",
              help="Export what this user may read.")
@click.option("--where", multiple=True, metavar="FIELD=VALUE", help="A list filter, as in the API (repeatable), "
              "e.g. --where grade=A --where created_at__gte=2026-01-01.")
@_lang_option("zh_CN")
def export_command(form: str, fmt: str, output: str | None, as_user: str, where: tuple[str, ...], lang: str) -> None:
    """Export a form's records (every field the user may see) as CSV or XLSX, with the
    header and values of the web export in --lang."""
    from engine.i18n import speaking

    with speaking(lang):
        _export(form, fmt, output, as_user, where)


def _export(form: str, fmt: str, output: str | None, as_user: str, where: tuple[str, ...]) -> None:
    from engine.services import sheets, transfer

    settings = _settings()
    use_case = _acting(settings, _database(settings), as_user)
    params = dict(w.split("=", 1) for w in where if "=" in w)
    try:
        with use_case() as ctx:
            head, rows = transfer.export_rows(ctx, form, params)
            if fmt == "xlsx":
                path = Path(output or f"{form}.xlsx")
                path.write_bytes(sheets.write_xlsx(head, rows, form))
                click.echo(f"wrote {path}", err=True)
            elif output:
                with open(output, "w", encoding="utf-8", newline="") as out:
                    for chunk in sheets.write_csv(head, rows):
                        out.write(chunk)
                click.echo(f"wrote {output}", err=True)
            else:
                for chunk in sheets.write_csv(head, rows):
                    click.echo(chunk.lstrip("\ufeff"), nl=False)
    except EngineError as exc:
        _fail(exc.message)


@main.command("import")
@click.argument("form")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--as", "as_user", default="admin", show_default=True, metavar="USER",
              help="Create the records as this user.")
@click.option("--valid-only", is_flag=True, help="Import the valid rows even if some rows have errors.")
@_lang_option("zh_CN")
def import_command(form: str, file: str, as_user: str, valid_only: bool, lang: str) -> None:
    """Import a CSV or XLSX file into a form: each row is checked like the form; unless
    --valid-only, one bad row means nothing is imported. Exit 1 when a row failed."""
    from engine.i18n import speaking

    with speaking(lang):
        _import(form, file, as_user, valid_only)


def _import(form: str, file: str, as_user: str, valid_only: bool) -> None:
    from engine.services import imports, sheets

    settings = _settings()
    use_case = _acting(settings, _database(settings), as_user)
    try:
        head, rows = sheets.read_rows(Path(file).read_bytes(), file, max_rows=settings["ENGINE_IMPORT_MAX_ROWS"],
                                      max_cells=settings["ENGINE_IMPORT_MAX_CELLS"])
        report = imports.import_rows(use_case, form, head, rows, valid_only)
    except imports.ImportRejected as exc:
        report = exc.report
    except EngineError as exc:
        _fail(exc.message)
    for item in report.failed:
        for column, messages in item["errors"].items():
            click.echo(_("row %(row)s: %(column)s: %(problems)s", row=item["row"], column=column or "-",
                         problems="; ".join(map(str, messages))))
    if report.ignored_columns:
        click.echo(_("ignored columns: %(columns)s", columns=", ".join(report.ignored_columns)))
    click.echo(_("%(created)s of %(rows)s rows imported", created=len(report.created), rows=report.rows)
               if report.imported else
               _("nothing imported: %(failed)s of %(rows)s rows have errors", failed=len(report.failed),
                 rows=report.rows))
    if report.failed:
        sys.exit(1)


@main.group()
def config() -> None:
    """The definitions in the database and the files of the config directory (docs/reference.md,
    Designer, drafts and versions)."""


def _config_dir(directory: str | None, settings: dict) -> str:
    return directory or settings["ENGINE_CONFIG_DIR"]


def _published_lines(exc: EngineError) -> list[str]:
    """What a refused publish says: the message, then its problems or refusals."""
    lines = [exc.message]
    extra = getattr(exc, "extra", {}) or {}
    for problem in extra.get("problems", []):
        lines.append(f"{problem['file']}: {problem['pointer'] or '/'}: {problem['message']}")
    lines += [f"- {refusal}" for refusal in extra.get("refusals", [])]
    return lines


@config.command("export")
@click.argument("directory", required=False)
def config_export(directory: str | None) -> None:
    """Write the live definitions into DIRECTORY (default: ENGINE_CONFIG_DIR), byte for byte, one file per
    module (module files the live set does not have are removed). Into the config directory, the files are
    then in step with the database: changes made in the designer can be committed to git."""
    from engine.services import designer

    settings = _settings()
    db = _database(settings)
    folder = _config_dir(directory, settings)
    written, removed, signature = designer.export_files(db, folder, settings["ENGINE_CONFIG_DIR"])
    for name in written:
        click.echo(f"wrote {Path(folder) / name}")
    for name in removed:
        click.echo(f"removed {Path(folder) / name}")
    click.echo(f"{folder}: the live definitions {signature[:12]} ({len(written)} files written)", err=True)


@config.command("import")
@click.argument("directory", required=False)
@click.option("--note", default=None, metavar="TEXT", help="Why (kept with the version, at most 500 characters).")
def config_import(directory: str | None, note: str | None) -> None:
    """Make the module files of DIRECTORY (default: ENGINE_CONFIG_DIR) the live definitions now, also over
    changes made in the designer, with the checks and schema plan of publishing (exit 1 and nothing
    changed when they are refused)."""
    from engine.services import designer

    settings = _settings()
    db = _database(settings)
    folder = _config_dir(directory, settings)
    try:
        done = designer.import_files(db, folder, settings["ENGINE_CONFIG_DIR"], note, "en")
    except EngineError as exc:
        _fail("\n".join(_published_lines(exc)))
    for change in done.changes:
        click.echo(change)
    click.echo(f"live: version {done.publication} ({done.signature[:12]})")


@config.command("versions")
@click.option("--limit", default=20, show_default=True, type=int, metavar="N", help="How many, newest first.")
def config_versions(limit: int) -> None:
    """List the published versions, newest first: publication id, `*` for the live one, when, by whom
    (`-`: from the files), origin, note."""
    from engine.services import designer

    settings = _settings()
    for item in designer.versions(_database(settings), limit=limit):
        click.echo("\t".join([str(item["publication"]), "*" if item["live"] else " ", item["published_at"] or "-",
                              item["published_by"] or "-", item["origin"],
                              (f"restores {item['restored_from']} " if item["restored_from"] else "")
                              + (item["note"] or "")]).rstrip())


@config.command("restore")
@click.argument("publication", type=int)
@click.option("--note", default=None, metavar="TEXT", help="Why (kept with the version, at most 500 characters).")
def config_restore(publication: int, note: str | None) -> None:
    """Publish version PUBLICATION (from `engine config versions`) again, as a new version, with the checks
    and schema plan of publishing."""
    from engine.services import designer

    settings = _settings()
    db = _database(settings)
    try:
        done = designer.restore_publication(db, publication, None, None, note, "en")
    except EngineError as exc:
        _fail("\n".join(_published_lines(exc)))
    for change in done.changes:
        click.echo(change)
    click.echo(f"live: version {done.publication} ({done.signature[:12]})")


@main.group()
def users() -> None:
    """Manage users."""


def _with_session(fn):
    settings = _settings()
    db = _database(settings)
    try:
        with db.transaction() as session:
            return fn(session, settings)
    except EngineError as exc:
        detail = getattr(exc, "fields", None)
        _fail(f"error: {exc.message}" + (f" {detail}" if detail else ""))
    finally:
        db.dispose()


@users.command("add")
@click.argument("name")
@click.option("--password", required=True, metavar="PASSWORD", help="The user's password.")
@click.option("--roles", default="", metavar="ROLE,...", help="Comma-separated role names.")
@click.option("--manager", default=None, metavar="USER",
              help="User name of the user's manager (for `manager_of` approvers).")
@click.option("--email", default=None, metavar="ADDRESS", help="Email address for notifications.")
@click.option("--display-name", default=None, metavar="TEXT", help="Name shown to people (default: the user name).")
@click.option("--address", "addresses", multiple=True, metavar="CHANNEL=ADDRESS",
              help="The user's address for a notification channel that needs one (repeatable).")
@click.option("--lang", "lang", type=click.Choice(LOCALES), default=None,
              help="The language the user reads: pages after signing in, notifications, email "
                   "(default: the product's, zh_CN).")
def users_add(name: str, password: str, roles: str, manager: str | None, email: str | None,
              display_name: str | None, addresses: tuple[str, ...], lang: str | None) -> None:
    """Create a user."""
    from engine.auth.users import create_user
    from engine.definitions import load_directory
    from engine.notify.addresses import set_addresses

    role_set = {r.strip() for r in roles.split(",") if r.strip()}
    channel_addresses = {}
    for item in addresses:
        channel, sep, address = item.partition("=")
        if not sep or not channel.strip():
            _fail(f"--address takes CHANNEL=ADDRESS, not {item!r}")
        channel_addresses[channel.strip()] = address

    def run(session, settings):
        known = _live_roles(session)
        if known is None:
            try:
                known = set(load_directory(settings["ENGINE_CONFIG_DIR"]).roles)
            except DefinitionError:
                known = None
        unknown = sorted(role_set - known) if known is not None else []
        if unknown:
            _fail(f"unknown role(s): {', '.join(unknown)}; known: {', '.join(sorted(known or ()))}")
        user = create_user(session, name, password, role_set, email=email, manager=manager,
                           display_name=display_name, language=lang)
        set_addresses(session, user.id, channel_addresses)
        return user

    user = _with_session(run)
    click.echo(f"created user {user.name} ({', '.join(sorted(user.roles)) or 'no roles'})")


def _live_roles(session) -> set[str] | None:
    """The roles of the live definitions (which may have changed in the designer); None before
    `engine init`."""
    from sqlalchemy import select
    from sqlalchemy.exc import SQLAlchemyError

    from engine.definitions import load_sources
    from engine.store.system import definition_state, definition_versions

    try:
        with session.begin_nested():
            texts = session.execute(select(definition_versions.c.sources).join(
                definition_state, definition_state.c.version_id == definition_versions.c.id)).scalar()
    except SQLAlchemyError:
        return None
    if not texts:
        return None
    try:
        return set(load_sources(texts).roles)
    except DefinitionError:
        return None


@users.command("token")
@click.argument("name")
@click.option("--name", "token_name", default=None, metavar="TEXT",
              help="What the token is for (shown in token lists).")
@click.option("--expires", default=None, metavar="LIFETIME", help="Lifetime such as 12h, 30d or 2w "
              "(default: until revoked).")
def users_token(name: str, token_name: str | None, expires: str | None) -> None:
    """Print a new API token for the user (the last line is the token)."""
    from engine.auth.tokens import issue_token, parse_lifetime
    from engine.auth.users import get_user

    def run(session, settings):
        user = get_user(session, name)
        if user is None:
            _fail(f"no user '{name}'")
        return issue_token(session, user, name=token_name, expires_in=parse_lifetime(expires))

    token = _with_session(run)
    click.echo(f"API token for {name}:", err=True)
    click.echo(token)


@users.command("tokens")
@click.argument("name", required=False)
def users_tokens(name: str | None) -> None:
    """List the API tokens of user NAME (of everyone without NAME), one per line: id, user, status
    (`active`, `expired`, `revoked`), name, created, last used, expires; never the token itself."""
    from engine.auth.tokens import list_tokens
    from engine.auth.users import get_user

    def run(session, settings):
        user = get_user(session, name) if name else None
        if name and user is None:
            _fail(f"no user '{name}'")
        return list_tokens(session, user.id if user else None)

    def when(value) -> str:
        return value.strftime("%Y-%m-%d %H:%M UTC") if value else "-"

    tokens = _with_session(run)
    if not tokens:
        click.echo("no tokens", err=True)
    for t in tokens:
        click.echo(f"{t.id}\t{t.user_name}\t{t.status()}\t{t.name or '-'}\tcreated {when(t.created_at)}"
                   f"\tlast used {when(t.last_used_at)}\texpires {when(t.expires_at)}")


@users.command("revoke-token")
@click.argument("token_id", type=int)
def users_revoke_token(token_id: int) -> None:
    """Revoke the API token with id TOKEN_ID (from `engine users tokens`)."""
    from engine.auth.tokens import revoke_token

    token = _with_session(lambda session, settings: revoke_token(session, token_id))
    click.echo(f"revoked token {token.id} of {token.user_name}")


if __name__ == "__main__":
    main()
