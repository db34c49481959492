"""Chinese for the designer's preview of the record page and the board (issue 12)."""
ZH = {
    "Preview: a record's page as %(role)s sees it (draft)": "预览：%(role)s 看到的记录页面（草稿）",
    "Preview: a record's page as %(role)s sees it (live definitions)": "预览：%(role)s 看到的记录页面（当前生效的定义）",
    "Preview: the board %(role)s sees (draft)": "预览：%(role)s 看到的看板（草稿）",
    "Preview: the board %(role)s sees (live definitions)": "预览：%(role)s 看到的看板（当前生效的定义）",
    "Record page": "详情",
    "Buttons show what this role could do here; they do nothing.": "按钮显示该角色在此可做的操作，点击不会生效。",
    "Preview details": "预览详情",
    "Preview board": "预览看板",
}
