"""Chinese for the third zh UI probe (issue 10: config type names, history, CLI language, sizes, tokens)."""
ZH = {
    "'string'": "文本",
    "'number'": "数字",
    "'integer'": "整数",
    "'boolean'": "是/否",
    "'object'": "对象",
    "'array'": "列表",
    "'null'": "空值",
    "%(value)s must be text matching %(pattern)s": "%(value)s 必须是符合 %(pattern)s 的文本",
}
