"""Designer words of the editors for localized texts, link filters and fills, read-only fields of a role,
line-item tables copied by a transition's create, and print layouts. Keys: `loc.`, `link.`, `perms.ro.`,
`create.`, `prints.`."""
from engine.i18n import lazy

TEXTS = {
    # a localized text: the Chinese text, and an English one beside it
    "loc.en": lazy("English"),
    "loc.en_placeholder": lazy("English text (optional)"),
    "loc.en_help": lazy("Shown to users whose language is English; empty: they see the Chinese text."),
}
