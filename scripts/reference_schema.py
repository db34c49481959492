"""The module-format sections of docs/reference.md, read from the assembled JSON Schema
(engine.definitions.schema.module_schema()): key tables, value kinds, field types."""
from __future__ import annotations

import json
from typing import Any

from engine.definitions.schema import module_schema

# $defs that are not a kind of value a person writes: the schema's own machinery.
INTERNAL = {"not_for_this_type", "field_type", "table_field_type"}


def schema() -> dict[str, Any]:
    return module_schema()


def cell(text: str) -> str:
    """Text for one Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def code(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return f"`{text}`"


def ref_name(prop: dict[str, Any]) -> str | None:
    ref = prop.get("$ref", "")
    return ref.rsplit("/", 1)[-1] if ref.startswith("#/$defs/") and ref.count("/") == 2 else None


def is_object_def(definition: dict[str, Any]) -> bool:
    """An object with keys of its own (a text that may also be written as an object, such as a
    title in two languages, is a kind of value)."""
    types = definition.get("type")
    text_too = types == "string" or (isinstance(types, list) and "string" in types)
    return bool(object_properties(definition)) and not text_too


def object_properties(definition: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The keys an object may have, also those of each alternative of a `oneOf`."""
    props = dict(definition.get("properties", {}))
    for alternative in definition.get("oneOf", []) + definition.get("anyOf", []):
        if alternative.get("type") != "object":
            continue
        own = alternative.get("properties", {})
        if len(own) == 1 and alternative.get("description"):  # one key: the alternative says what it means
            (key, prop), = own.items()
            own = {key: {**prop, "description": f"{alternative['description']} {prop.get('description', '')}"}}
        props.update(own)
    return props


def kind(prop: dict[str, Any], links: dict[str, str], defs: dict[str, Any]) -> str:
    """What a key holds, in a few words, with a link to where a named kind is described."""
    name = ref_name(prop)
    if name is not None:
        target = links.get(name) or (links.get("value-kinds") if name not in INTERNAL else None)
        label = name.replace("_", " ")
        if name in ("field_type", "table_field_type"):
            return f"[a field type](#{links['field-types']})" if "field-types" in links else "a field type"
        if name == "table_field":  # a field of any type but `table`
            return f"[field](#{links['field']})" if "field" in links else "field"
        if target and is_object_def(defs.get(name, {})):
            return f"[{label}](#{target})"
        return f"[{label}](#{target})" if target else label
    if "const" in prop:
        return code(prop["const"])
    if "enum" in prop:
        return " · ".join(code(v) for v in prop["enum"])
    alternatives = prop.get("anyOf") or prop.get("oneOf")
    if alternatives:
        return " or ".join(dict.fromkeys(kind(a, links, defs) for a in alternatives))
    types = prop.get("type")
    if isinstance(types, list):
        return " or ".join(_type_word(t, prop, links, defs) for t in types if t != "null")
    if types:
        return _type_word(types, prop, links, defs)
    return "any value"


def _type_word(name: str, prop: dict[str, Any], links: dict[str, str], defs: dict[str, Any]) -> str:
    if name == "array":
        items = prop.get("items")
        return f"list of {kind(items, links, defs)}" if items else "list"
    if name == "object":
        extra = prop.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            return f"map of name → {kind(extra, links, defs)}"
        return "object"
    if name == "integer":
        low, high = prop.get("minimum"), prop.get("maximum")
        if low is not None and high is not None:
            return f"whole number {low}–{high}"
        return f"whole number ≥ {low}" if low is not None else "whole number"
    return {"boolean": "`true`/`false`", "number": "number", "string": "text"}.get(name, name)


def key_rows(props: dict[str, Any], required: list[str], links: dict[str, str], defs: dict[str, Any],
             prefix: str = "") -> list[str]:
    rows = []
    for key, prop in props.items():
        if key == "$schema":
            continue
        default = code(prop["default"]) if "default" in prop else ""
        rows.append(f"| `{prefix}{key}` | {cell(kind(prop, links, defs))} | {'yes' if key in required else ''} "
                    f"| {default} | {cell(prop.get('description', ''))} |")
        inline = prop.get("items", prop) if prop.get("type") == "array" else prop
        if inline.get("type") == "object" and inline.get("properties"):
            rows += key_rows(inline["properties"], inline.get("required", []), links, defs, f"{prefix}{key}.")
    return rows


def keys_section(name: str, links: dict[str, str]) -> str:
    """The key table of one object: the module file (`module`) or a `$defs` entry."""
    full = schema()
    defs = full["$defs"]
    if name == "module":
        definition = full
    elif name in defs:
        definition = defs[name]
    else:
        raise SystemExit(f"docs/reference.md: no $defs entry {name!r} in the module schema")
    props = object_properties(definition)
    if name == "field":
        props = {k: v for k, v in props.items() if k in common_field_keys(full)}
    head = ["| key | value | required | default | meaning |", "|---|---|---|---|---|"]
    text = "\n".join(head + key_rows(props, definition.get("required", []), links, defs))
    if definition.get("description") and name != "module":
        text = f"{definition['description']}\n\n{text}"
    return text


def value_kinds_section(links: dict[str, str]) -> str:
    defs = schema()["$defs"]
    rows = ["| kind | what it is |", "|---|---|"]
    for name, definition in defs.items():
        if name in INTERNAL or is_object_def(definition) or name in links:
            continue
        rows.append(f"| {name.replace('_', ' ')} | {cell(definition.get('description', ''))} |")
    return "\n".join(rows)


def text_keys_section(links: dict[str, str]) -> str:
    """The keys of the object form of the kinds of value that are text in one or both languages
    (`title`, `text`): one row per key, shared by the kinds whose rows read the same."""
    defs = schema()["$defs"]
    rows: dict[str, str] = {}
    for name, definition in defs.items():
        if name in INTERNAL or is_object_def(definition) or not object_properties(definition):
            continue
        for row in key_rows(object_properties(definition), definition.get("required", []), links, defs):
            rows.setdefault(row, name)
    head = ["| key | value | required | default | meaning |", "|---|---|---|---|---|"]
    return "\n".join(head + list(rows))


# -- field types --------------------------------------------------------------------------

def type_names(full: dict[str, Any]) -> list[str]:
    definition = full["$defs"]["field_type"]
    if "enum" in definition:
        return list(definition["enum"])
    return [alt["const"] for alt in definition.get("oneOf", definition.get("anyOf", []))]


def type_descriptions(full: dict[str, Any]) -> dict[str, str]:
    """Type name → the one-line summary its class gives (the schema's `field_type` description
    joins the same summaries into one text)."""
    from engine.fieldtypes import REGISTRY

    return {name: getattr(ftype, "summary", "") or "" for name, ftype in REGISTRY.items()}


def _refused(prop: Any) -> bool:
    return prop is False or (isinstance(prop, dict) and ("not" in prop or "not_for_this_type" in prop.get("$ref", "")))


def _applies(condition: dict[str, Any], type_name: str) -> bool:
    """Whether an `if` of a field's rules holds for a field of this type."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(condition).is_valid({"name": "x", "type": type_name})


def type_rules(full: dict[str, Any], type_name: str) -> dict[str, Any]:
    """What the field's conditional rules say for a field of this type: the properties they
    refine or refuse, the keys they require, and a description of the type if one is given."""
    found: dict[str, Any] = {"properties": {}, "required": [], "description": ""}

    def apply(node: dict[str, Any]) -> None:
        for rule in node.get("allOf", []):
            if "if" in rule:
                branch = rule.get("then") if _applies(rule["if"], type_name) else rule.get("else")
                if branch:
                    found["properties"].update(branch.get("properties", {}))
                    found["required"] += branch.get("required", [])
                    if "then" in rule and branch is rule["then"] and rule["if"].get("properties", {}).get(
                            "type", {}).get("const") == type_name:
                        found["description"] = found["description"] or branch.get("description", "")
                    apply(branch)
            else:
                apply(rule)

    apply(full["$defs"]["field"])
    return found


def common_field_keys(full: dict[str, Any]) -> list[str]:
    """Keys every field may have: all but the option keys that field types own (those the
    schema refuses on the other types); `default` is common, though a few types refuse it."""
    props = full["$defs"]["field"]["properties"]
    owned = set(full["$defs"].get("not_for_this_type", {}).get("$defs", {})) - {"default"}
    return [key for key in props if key not in owned]


def type_options(full: dict[str, Any], type_name: str) -> dict[str, dict[str, Any]]:
    """A type's own option keys with their schemas (refinements of its branch applied)."""
    props = full["$defs"]["field"]["properties"]
    common = set(common_field_keys(full))
    refined = type_rules(full, type_name)["properties"]
    return {key: {**prop, **refined.get(key, {})} for key, prop in props.items()
            if key not in common and not _refused(refined.get(key))}


def field_types_section(links: dict[str, str]) -> str:
    full = schema()
    defs = full["$defs"]
    names = type_names(full)
    in_tables = set(defs.get("table_field_type", {}).get("enum", names))
    described = type_descriptions(full)
    parts = []
    for name in names:
        rules = type_rules(full, name)
        lines = [f"#### `{name}`", ""]
        about = described.get(name) or rules["description"]
        if about:
            lines += [about, ""]
        options = type_options(full, name)
        if options:
            lines += ["| option | value | required | default | meaning |", "|---|---|---|---|---|"]
            lines += key_rows(options, rules["required"], links, defs)
        else:
            lines.append("No options of its own.")
        notes = []
        if _refused(rules["properties"].get("default")):
            notes.append("It takes no `default`.")
        if name not in in_tables:
            notes.append("Not allowed as a column of a `table` field.")
        if notes:
            lines += ["", " ".join(notes)]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)
