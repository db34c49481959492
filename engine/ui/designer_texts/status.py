"""Designer words shared by every tab: the session ending while editing, the expression parser's
messages (the same English as the server's, so the live check and the draft's problems read alike)
and where a problem is ("Form › Field"). Keys: `session.`, `exprmsg.`, `where.`."""
from engine.i18n import lazy

TEXTS = {
    "session.expired": lazy("Your login has expired: log in again in a new tab, then click Retry. "
                            "Your edits stay in this page."),
    "session.login": lazy("Log in (new tab)"),
    "session.retry": lazy("Retry"),
    "session.reload": lazy("Reload the designer"),
    # the expression parser: the same English as the server's messages (engine/definitions/messages.py)
    "exprmsg.unexpected_end": lazy("syntax error: unexpected end"),
    "exprmsg.invalid_syntax": lazy("syntax error: invalid syntax"),
    "exprmsg.unclosed": lazy("unclosed bracket"),
    "exprmsg.unbalanced": lazy("unbalanced {bracket}"),
    "exprmsg.unterminated": lazy("unterminated string literal"),
    "exprmsg.empty": lazy("expression is empty"),
    "exprmsg.use_eq": lazy("use == to compare"),
    "exprmsg.character": lazy("character {char} is not allowed"),
    "exprmsg.character_text": lazy("character {char} is only allowed inside a string literal"),
    "exprmsg.dollar": lazy("'$' may only be used in the variable $user"),
    "exprmsg.expected": lazy("expected {token}"),
    "exprmsg.underscore": lazy("names starting with '_' are not allowed"),
    "exprmsg.lowercase": lazy("use true, false and null (lowercase)"),
    "exprmsg.is": lazy("'is' is not allowed; use == null or != null"),
    "exprmsg.list": lazy("a list [...] may only appear right of 'in' or 'not in'"),
    "exprmsg.path": lazy("field paths have at most two parts (a.b)"),
    "exprmsg.zeros": lazy("leading zeros in a number are not allowed"),
    "exprmsg.unary": lazy("unary '{op}' is not allowed"),
    "exprmsg.operator": lazy("operator '{op}' is not allowed"),
    "exprmsg.function": lazy("'{name}' is a function; call it like {name}(...)"),
    "exprmsg.unknown_function": lazy("unknown function '{name}'; allowed: {allowed}"),
    "exprmsg.only_functions": lazy("only these functions may be called: {allowed}"),
    "exprmsg.arguments": lazy("{name}() takes {expected} argument(s), got {count}"),
    # a field offered by its label and name (the reminders tab's pickers)
    "label_name": lazy("{label} ({name})"),
    # where a problem is: module › form › field ... (problem-words.js)
    "where.whole_file": lazy("the whole file"),
    "where.stage": lazy("stage {title}"),
    "where.transition": lazy("action {title}"),
    "where.step": lazy("approval step {title}"),
    "where.reminder": lazy("reminder {n}"),
    "where.chart": lazy("chart {title}"),
    "where.role": lazy("role {title}"),
    "where.option": lazy("option {title}"),
    "where.list": lazy("list page"),
    "where.permissions": lazy("permissions"),
    "where.workflow": lazy("flow"),
    # two fields of a form with one label: a warning next to them
    "form.dup_label": lazy("Another field of this form ({name}) is also labelled {label}: staff, lists and imports "
                           "cannot tell them apart."),
    "form.dup_label_mark": lazy("same label"),
    # a setting a new field still needs, said as what to do
    "choose.form_link": lazy("Choose the form this field links to."),
    "choose.form_rollup": lazy("Choose the form whose records are summed up."),
    "choose.link_rollup": lazy("Choose the link field of that form that points to this form."),
    "choose.value_rollup": lazy("Choose what is summed up: the number of records, or the sum, average, "
                                "minimum or maximum of a number field."),
    "choose.formula": lazy("Write the formula."),
    "choose.options": lazy("Add the options to choose from."),
}
