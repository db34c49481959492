"""The catalogue entries of definition problems produced as English text outside checks.py:
the loader, the builder, field paths, durations, the expression parser and jsonschema's
own messages. Problems travel as `file: /pointer: message` lines; the admin pages read
each message back against these msgids (engine.i18n.translate_problem) and show it in the
admin's language. Each entry must spell the English exactly as the code produces it, with
its values as %(name)s; tests/definitions/test_problem_language.py checks the bad-config
corpus end to end."""
from __future__ import annotations

from engine.i18n import N_

LOADER = [
    N_("definitions directory does not exist"),
    N_("not UTF-8 text (byte %(n)s); save the file as UTF-8"),
    N_("no *.json module files found"),
    N_("the file is larger than %(n)s MB; split it into several modules"),
    N_("invalid JSON at line %(line)s, column %(column)s: %(error)s"),
    N_("the key '%(key)s' appears twice in one object; keep one"),
    N_("nested more than %(n)s levels deep"),
    N_("invalid JSON: %(error)s"),
    N_("invalid JSON at line %(line)s, column %(column)s"),
    N_("unreadable value"),
    N_("module '%(name)s' is also defined in another file"),
    N_("'admin' always exists; do not declare it"),
    N_("form '%(name)s' is already defined in %(file)s"),
    N_("text may not contain NUL (\\u0000)"),
    N_("text may not contain lone surrogates (\\ud800-\\udfff)"),
    # friendly_message: jsonschema errors rephrased
    N_("unknown key %(keys)s; allowed: %(allowed)s"),
    N_("unknown keys %(keys)s, … and %(n)s more; allowed: %(allowed)s"),
    N_("%(n)s more problems in this file are not listed"),
    N_("… and %(n)s more problems"),  # engine.errors.MORE_PROBLEMS
    N_("'%(key)s' (did you mean '%(close)s'?)"),
    N_("%(value)s is not valid here: %(detail)s"),
    N_("%(value)s is not one of: %(allowed)s"),
    N_("%(value)s: `%(key)s` applies only to %(types)s fields"),
    N_("%(value)s: a `number` chart takes no `group_by`"),
    N_("%(value)s: a final stage takes no `approval`"),
    N_("%(value)s: a final stage takes no `due`"),
    N_("%(value)s: a name may not end with a line break"),
    N_("%(value)s: %(types)s fields take no `default`"),
    N_("%(value)s: give either `transition` or `action`, not both"),
    N_("%(value)s: no line breaks allowed"),
    N_("%(value)s must be text matching %(pattern)s"),
    N_("%(value)s: system attribute names are reserved"),
    N_("a text in two languages needs its Chinese text, \"zh-CN\" (\"en\" is optional)"),
    N_("%(value)s is not a text: give a string or {\"zh-CN\": \"…\", \"en\": \"…\"}"),
]

JSONSCHEMA = [  # jsonschema's English, as it writes it
    N_("%(name)s is a required property"),
    N_("%(name)s is a dependency of %(key)s"),
    N_("%(value)s is not of type %(type)s"),
    N_("%(value)s is not of type %(type)s, %(type2)s"),
    N_("%(value)s is too short"),
    N_("%(value)s is too long"),
    N_("%(value)s should be non-empty"),
    N_("%(value)s is expected to be empty"),
    N_("%(value)s is less than the minimum of %(min)s"),
    N_("%(value)s is greater than the maximum of %(max)s"),
    N_("%(value)s has non-unique elements"),
    N_("%(value)s was expected"),
    N_("%(value)s is not valid under any of the given schemas"),
    N_("%(value)s does not match %(pattern)s"),
    N_("Additional properties are not allowed (%(keys)s were unexpected)"),
    N_("Additional properties are not allowed (%(keys)s was unexpected)"),
]

JSON_TYPES = [  # the %(type)s of "is not of type": JSON type names, quoted as jsonschema does
    N_("'string'"), N_("'number'"), N_("'integer'"), N_("'boolean'"), N_("'object'"), N_("'array'"),
    N_("'null'"),
]

SCHEMA_DESCRIPTIONS = [  # shown after "is not valid here:"
    N_("A duration: a whole number followed by a unit, m (minutes), h (hours), d (days) or w (weeks), "
       "e.g. `30m`, `4h`, `2d`, `1w`."),
    N_("A field name, or `table.subfield` for a column of a table field."),
    N_("A file extension with its leading dot."),
    N_("A name used by the engine and the database: a lowercase ASCII letter, then up to 62 lowercase "
       "letters, digits or underscores."),
    N_("A signed duration relative to a date: `-1d` is one day before, `+2h` or `2h` two hours after; "
       "units m, h, d, w."),
    N_("Default sort: a field name, with a leading `-` for descending, e.g. `-created_at`."),
    N_("What is measured: `count()`, or `sum(F)`, `avg(F)`, `min(F)`, `max(F)` of a numeric field F; "
       "default `count()`."),
    N_("What is aggregated over the linked records: `count()`, or `sum(F)`, `avg(F)`, `min(F)`, `max(F)` of a "
       "number field F of `form`, e.g. `sum(amount)`."),
    N_("rollup: what is aggregated over the linked records: `count()`, or `sum(F)`, `avg(F)`, `min(F)`, "
       "`max(F)` of a number field F of `form`, e.g. `sum(amount)`."),
]

BUILDER = [
    N_("invalid expression %(source)s: %(error)s"),
    N_("%(error)s (at character %(offset)s)"),
    N_("invalid chart value %(value)s: use count() or sum(FIELD), avg(FIELD), min(FIELD), max(FIELD), "
       "count(FIELD)"),
    N_("invalid duration %(value)s: use a number and a unit, e.g. %(example)s"),
]

PATHS = [
    N_("form '%(form)s' has no field '%(name)s' (did you mean '%(close)s'?)"),
    N_("'%(path)s' is not a column of table '%(table)s' (%(columns)s)"),
    N_("'%(path)s': at most one '.' is allowed"),
    N_("table '%(table)s' has no column '%(column)s'"),
    N_("link '%(link)s' points at unknown form '%(form)s'"),
    N_("'%(path)s': a linked record's %(type)s field cannot be used"),
    N_("'%(name)s' is neither a link nor a table field, so '%(path)s' is invalid"),
]

EXPRESSIONS = [  # the parser's messages met while checking definitions
    N_("syntax error: %(error)s"),
    # whole messages, the same English as the designer's live check (expr-parse.js): one wording in both
    N_("syntax error: unexpected end"),
    N_("syntax error: invalid syntax"),
    N_("use == to compare"),
    N_("leading zeros in a number are not allowed"),
    N_("unclosed bracket"),
    N_("unbalanced %(bracket)s"),
    N_("unterminated string literal"),
    N_("expression is empty"),
    N_("expression is too long (%(n)s > %(max)s characters)"),
    N_("brackets are nested too deeply (more than %(n)s levels)"),
    N_("expression is nested too deeply (more than %(n)s levels)"),
    N_("'$' may only be used in the variable $user"),
    N_("comments ('#') are not allowed"),
    N_("backslashes are only allowed inside string literals"),
    N_("character %(char)s is only allowed inside a string literal"),
    N_("control character %(char)s is not allowed"),
    N_("expression could not be parsed"),
    N_("expression is too large (more than %(n)s parts)"),
    N_("use true, false and null (lowercase)"),
    N_("names starting with '_' are not allowed"),
    N_("'%(name)s' is a function; call it like %(name)s(...)"),
    N_("field paths have at most two parts (a.b)"),
    N_("'.' may only follow a field name (a.b)"),
    N_("unary '%(op)s' is not allowed"),
    N_("operator '%(op)s' is not allowed"),
    N_("'is' is not allowed; use == null or != null"),
    N_("a list [...] may only appear right of 'in' or 'not in'"),
    N_("only these functions may be called: %(allowed)s"),
    N_("unknown function '%(name)s'; allowed: %(allowed)s"),
    N_("keyword arguments are not allowed"),
    N_("%(name)s() takes %(expected)s argument(s), got %(count)s"),
    N_("unknown field '%(name)s'"),
]

REFUSALS = [  # engine/store/sync.py, engine/runtime.py and the admin editor: changes refused
    N_("%(where)s: table %(table)s already has a column '%(name)s' with data that the engine did not "
       "create; rename the field"),
    N_("%(where)s: changing the type from %(old)s (%(old_signature)s) to %(new)s (%(signature)s) would "
       "rewrite %(n)s stored values; add a new field instead (the old one keeps its data)"),
    N_("%(where)s: cannot make the field unique, %(n)s values occur more than once"),
    N_("%(where)s: stage '%(stage)s' holds %(n)s records and cannot be removed (rename it with "
       "\"renamed_from\": \"%(stage)s\" on the new stage, or move the records first)"),
    N_("form '%(form)s' has %(n)s records and cannot be removed (to rename it, add \"renamed_from\": "
       "\"%(form)s\" to the new form)"),
    N_("role '%(role)s' is held by %(n)s users and cannot be removed (rename it with \"renamed_from\": "
       "\"%(role)s\" on the new role, or give the users other roles first)"),
    N_("reload failed: %(error)s"),
    N_("the file is larger than %(n)s MB"),
]
