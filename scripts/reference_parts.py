"""The sections of docs/reference.md read from code: expression functions, the HTTP API's
routes, the `engine` command and the settings."""
from __future__ import annotations

import inspect
import re
from typing import Any

import click

from scripts.reference_schema import cell, code

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def functions_section() -> str:
    from engine.expressions.nodes import FUNCTION_HELP, FUNCTIONS

    missing = sorted(set(FUNCTIONS) - set(FUNCTION_HELP))
    if missing:
        raise SystemExit(f"engine/expressions/nodes.py: FUNCTION_HELP does not describe {', '.join(missing)}")
    rows = ["| function | gives |", "|---|---|"]
    for name in sorted(FUNCTIONS):
        signature, text = FUNCTION_HELP[name]
        rows.append(f"| {' or '.join(code(s) for s in signature.split(' or '))} | {cell(text)} |")
    return "\n".join(rows)


# -- HTTP API ------------------------------------------------------------------------------

def api_path(rule: str) -> str:
    """`/api/forms/<form_name>/records/<id:record_id>` → `/api/forms/{form_name}/records/{record_id}`."""
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule)


def summary(view: Any) -> str:
    """The first paragraph of the view's docstring."""
    doc = inspect.getdoc(view) or ""
    return " ".join(doc.split("\n\n", 1)[0].split())


def routes(app: Any, pages: bool = False) -> list[tuple[str, str, str]]:
    """(method, path, summary) of every API route (or, with `pages`, of every page), in path order.
    A page that answers both GET and POST (a form and its submission) is one row."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") == pages or rule.endpoint in ("static", "favicon"):
            continue
        methods = [m for m in METHODS if m in (rule.methods or ())]
        view = app.view_functions[rule.endpoint]
        for method in [", ".join(methods)] if pages else methods:
            found.append((method, api_path(rule.rule), summary(view)))
    return sorted(found, key=lambda r: (r[1], [METHODS.index(m) for m in r[0].split(", ")]))


def routes_table(app: Any, pages: bool = False) -> str:
    rows = ["| method | path | does |", "|---|---|---|"]
    undocumented = []
    for method, path, text in routes(app, pages):
        if not text:
            undocumented.append(f"{method} {path}")
        rows.append(f"| {method} | `{path}` | {cell(text)} |")
    if undocumented:
        raise SystemExit("views without a docstring (the reference's summary of the route): " + ", ".join(undocumented))
    return "\n".join(rows)


def api_section(app: Any) -> str:
    return routes_table(app)


def pages_section(app: Any) -> str:
    return routes_table(app, pages=True)


# -- the engine command --------------------------------------------------------------------

def cli_commands() -> list[tuple[str, click.Command]]:
    """(`engine users add`, command) for every command that runs something, in order."""
    from engine.cli import main

    found: list[tuple[str, click.Command]] = []

    def walk(path: str, command: click.Command) -> None:
        if isinstance(command, click.Group):
            for name in sorted(command.commands):
                walk(f"{path} {name}", command.commands[name])
        else:
            found.append((path, command))

    walk("engine", main)
    return found


def _metavar(param: click.Parameter) -> str:
    if isinstance(param.type, click.Choice):
        return "|".join(map(str, param.type.choices))
    if getattr(param, "metavar", None):
        return str(param.metavar)
    return (param.name or "").upper()


def usage(path: str, command: click.Command) -> str:
    pieces = [path]
    for param in command.params:
        if isinstance(param, click.Argument):
            name = _metavar(param)
            pieces.append(name if param.required else f"[{name}]")
        elif isinstance(param, click.Option) and not param.hidden and "--help" not in param.opts:
            text = _option_names(param, long_only=True)
            if not param.is_flag:
                text += f" {_metavar(param)}"
            pieces.append(text if param.required else f"[{text}]")
    return " ".join(pieces)


def _option_names(option: click.Option, long_only: bool = False) -> str:
    names = [n for n in option.opts if n.startswith("--")] if long_only else list(option.opts)
    names = names or list(option.opts)
    if option.secondary_opts:
        return "/".join(names + list(option.secondary_opts))
    return ", ".join(names) if not long_only else names[0]


def _default(option: click.Option) -> str:
    if option.is_flag and not option.secondary_opts:
        return ""
    value = option.default
    if value is None or callable(value) or value in ("", ()) or type(value).__name__ == "Sentinel":
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return code(str(value))


def cli_section() -> str:
    parts = []
    for path, command in cli_commands():
        lines = [f"#### `{path}`", "", f"`{usage(path, command)}`", ""]
        lines.append(" ".join((command.help or "").split()))
        options = [p for p in command.params if isinstance(p, click.Option) and not p.hidden]
        if options:
            lines += ["", "| option | default | meaning |", "|---|---|---|"]
            for option in options:
                names = _option_names(option) + ("" if option.is_flag else f" {_metavar(option)}")
                required = "Required. " if option.required else ""
                lines.append(f"| {cell(code(names))} | {_default(option)} | {cell(required + (option.help or ''))} |")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


# -- settings ------------------------------------------------------------------------------

def settings_section() -> str:
    from engine.settings import SETTINGS

    rows = ["| setting | default | meaning |", "|---|---|---|"]
    for setting in SETTINGS:
        value = setting.default
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        default = setting.shown if setting.shown is not None else code(str(value))
        rows.append(f"| `{setting.name}` | {cell(default)} | {cell(setting.help)} |")
    return "\n".join(rows)
