"""Chinese for the fixes after the outside probe: bounded definition problem lists, the JSON
parser's reasons in the config editor, and field type names."""
ZH = {
    "unknown keys %(keys)s, … and %(n)s more; allowed: %(allowed)s":
        "未知的键 %(keys)s，……另有 %(n)s 个；允许的键：%(allowed)s",
    "%(n)s more problems in this file are not listed": "此文件另有 %(n)s 个问题未列出",
    "… and %(n)s more problems": "……另有 %(n)s 个问题",
}
