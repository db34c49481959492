"""Chinese for the designer's editors of localized texts, link filters and fills, read-only fields,
copied line-item tables and print layouts (issue 13)."""
ZH = {
    "English": "英文",
    "English text (optional)": "英文文本（可选）",
    "Shown to users whose language is English; empty: they see the Chinese text.":
        "界面语言为英文的用户看到此文本；留空则显示中文。",
}
