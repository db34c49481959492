"""Chinese for messages of the field types shared by several of them (engine/fieldtypes/)."""
ZH = {
    "must be Yes or No": "必须是“是”或“否”",
}
