"""The JSON Schema of one module file, assembled once per set of field types.

module.schema.json holds the module format and the keys every field shares; each registered
field type (engine.fieldtypes) adds its name to the type enum, its option keys with their
schemas, and the rules that keep a key on the types that own it and make required options
required. A key on a type that does not own it is refused with a message naming the types
it is for, at the key's JSON pointer."""
from __future__ import annotations

import copy
import json
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.protocols import Validator

from engine.fieldtypes import REGISTRY, FieldType

BASE_PATH = Path(__file__).with_name("module.schema.json")


def _strict_integer(_checker: Any, value: Any) -> bool:
    """JSON Schema counts 5.0 as an integer; a definition may not: counts, sizes and scales are
    used as Python ints (a range of stars, a column's precision), so 5.0 is refused at its key."""
    return isinstance(value, int) and not isinstance(value, bool)


#: The keyword the validator's own copy of the schema uses in place of the field rules'
#: `allOf` of `if type is T then ...`: the one rule of the field's type, found by a lookup.
BY_TYPE = "x-then-by-type"


def _then_by_type(validator: Any, rules: dict[str, Any], instance: Any, schema: dict[str, Any]) -> Any:
    """What `allOf: [{if: {type: {const: T}}, then: R_T}, ...]` says, without trying every `if`:
    only the rule of the field's own type can apply (the same errors, at the same places)."""
    if isinstance(instance, dict) and isinstance(instance.get("type"), str) and instance["type"] in rules:
        yield from validator.descend(instance, rules[instance["type"]])


#: Draft 2020-12 with whole numbers written as whole numbers.
ModuleValidator = validators.extend(
    Draft202012Validator,
    validators={BY_TYPE: _then_by_type},
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _strict_integer),
)


def module_schema() -> dict[str, Any]:
    """The assembled schema of one module file (a copy: callers may change it)."""
    return copy.deepcopy(_assembled(_registered()))


def module_validator() -> Validator:
    """A validator of module files against the assembled schema."""
    return _validator(_registered())


def _registered() -> tuple[FieldType, ...]:
    return tuple(REGISTRY.values())


@cache
def _base() -> dict[str, Any]:
    return json.loads(BASE_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=4)
def _validator(types: tuple[FieldType, ...]) -> Validator:
    return ModuleValidator(_dispatched(_assembled(types)))


def _dispatched(assembled: dict[str, Any]) -> dict[str, Any]:
    """The schema with each field's type rules as one lookup (BY_TYPE): with 20 types, a
    field was tried against 20 `if`s, most of the time of loading a large definition set."""
    schema = copy.deepcopy(assembled)
    field = schema["$defs"]["field"]
    rules, others = {}, []
    for rule in field.get("allOf", []):
        const = rule.get("if", {}).get("properties", {}).get("type", {}).get("const")
        if isinstance(const, str) and set(rule) == {"if", "then"} and rule["if"].get("required") == ["type"]:
            rules[const] = rule["then"]
        else:
            others.append(rule)
    field["allOf"] = others
    if not others:
        del field["allOf"]
    field[BY_TYPE] = rules
    return schema


def _names(names: list[str]) -> str:
    return ", ".join(names)


@lru_cache(maxsize=4)
def _assembled(registered: tuple[FieldType, ...]) -> dict[str, Any]:
    # Types people type into first, computed ones last; otherwise in registration order.
    types = sorted(registered, key=lambda t: t.computed)
    schema = copy.deepcopy(_base())
    defs = schema["$defs"]
    field = defs["field"]
    owners: dict[str, list[FieldType]] = {}
    for ftype in types:
        for key in ftype.options_schema:
            owners.setdefault(key, []).append(ftype)

    summaries = " ".join(f"{t.name}: {t.summary}" if t.summary else f"{t.name}." for t in types)
    defs["field_type"] = {"description": f"The field types. {summaries}", "enum": [t.name for t in types]}
    defs["table_field_type"] = {
        "description": "The field types a column of a table may have (tables do not nest).",
        "enum": [t.name for t in types if t.in_tables],
    }
    for key, keyed in owners.items():
        by_text: dict[str, list[str]] = {}
        for ftype in keyed:
            by_text.setdefault(ftype.options_schema[key].get("description", ""), []).append(ftype.name)
        field["properties"][key] = {
            "description": " ".join(f"{_names(names)}: {text}" for text, names in by_text.items()),
        }
    refused = {
        key: {"description": f"`{key}` is not allowed on this field type.",
              "not": {"description": f"`{key}` applies only to {_names([t.name for t in keyed])} fields"}}
        for key, keyed in owners.items()
    }
    no_default = [t.name for t in types if t.default_schema is None]
    refused["default"] = {"description": "`default` is not allowed on this field type.",
                          "not": {"description": f"{_names(no_default)} fields take no `default`"}}
    defs["not_for_this_type"] = {
        "description": "Keys that belong to other field types; each refuses any value with a message naming "
                       "the field types it is for.",
        "$defs": refused,
    }
    rules = []
    for ftype in types:
        properties: dict[str, Any] = {}
        for key in owners:
            if key in ftype.options_schema:
                properties[key] = copy.deepcopy(dict(ftype.options_schema[key]))
            else:
                properties[key] = {"$ref": f"#/$defs/not_for_this_type/$defs/{key}"}
        properties["default"] = (dict(ftype.default_schema) if ftype.default_schema is not None
                                 else {"$ref": "#/$defs/not_for_this_type/$defs/default"})
        then: dict[str, Any] = {"properties": properties}
        if ftype.required_options:
            then["required"] = list(ftype.required_options)
        rules.append({"if": {"properties": {"type": {"const": ftype.name}}, "required": ["type"]}, "then": then})
    field["allOf"] = [*field.get("allOf", []), *rules]
    return schema
