"""Designer words of the editors for localized texts, link filters and fills, read-only fields of a role,
line-item tables copied by a transition's create, and print layouts. Keys: `loc.`, `link.`, `perms.ro.`,
`create.`, `prints.`."""
from engine.i18n import lazy

TEXTS = {
    # a localized text: the Chinese text, and an English one beside it
    "loc.en": lazy("English"),
    "loc.en_placeholder": lazy("English text (optional)"),
    "loc.en_help": lazy("Shown to users whose language is English; empty: they see the Chinese text."),
    # a link field's choices and copies
    "opt.filter": lazy("Only records matching this record"),
    "opt.where": lazy("Only records that"),
    "opt.fill": lazy("Fill from the linked record"),
    "opt.fill_mode": lazy("Copies"),
    "enum.snapshot": lazy("Copied when the link is chosen (snapshot)"),
    "enum.sync": lazy("Follow later changes of the linked record (sync)"),
    "link.choose_form_first": lazy("Choose the linked form first."),
    "link.filter.add": lazy("Add a match"),
    "link.filter.key": lazy("Match {n}: field of the linked form"),
    "link.filter.value": lazy("Match {n}: field of this form"),
    "link.filter_help": lazy("Only {form} records whose field (left) equals this record's field (right) can be "
                             "chosen; an empty field here does not restrict."),
    "link.filter_help_row": lazy("Only {form} records whose field (left) equals the field of this row (or of the "
                                 "record) on the right can be chosen; an empty field does not restrict."),
    "link.where_help": lazy("A condition over the fields of {form}: other records cannot be chosen."),
    "link.fill.add": lazy("Add a field to fill"),
    "link.fill.key": lazy("Fill {n}: field of this form"),
    "link.fill.value": lazy("Fill {n}: field of the linked record"),
    "link.fill_help": lazy("When a record is chosen, these fields of this form take the values of its fields."),
    "link.fill_help_row": lazy("When a record is chosen, these columns of the row take the values of its fields."),
    # a role's read-only fields (the permissions matrix)
    "perms.col.readonly": lazy("Read-only fields"),
    "perms.readonly.none": lazy("No read-only fields"),
    "perms.readonly.some": lazy("Read-only: {fields}"),
    "perms.readonly.help": lazy("The role sees these fields but may not change them (pages show them disabled; the "
                                "API refuses a change). With several roles, a field stays writable when one of "
                                "them may change it."),
    "perms.label.readonly_on": lazy("Make a field of {form} read-only for {role}"),
    "perms.label.readonly_off": lazy("Let {role} change a field of {form}"),
    # a transition's create: a line-item table copied from the source
    "create.table_source": lazy("Rows copied from"),
    "create.table_none": lazy("— no rows —"),
    "create.table_help": lazy("A line-item table takes the rows of a table of this record or of a linked record "
                              "(columns by equal name)."),
}
