"""Chinese for the configuration page's publication list (issue 12)."""
ZH = {
    "Published versions": "已发布的版本",
    "Compare and restore in the designer": "在设计器中比较和恢复",
    "(files)": "（文件）",
    "The live definitions are valid and in use.": "正在使用的定义有效。",
    "Applied %(at)s": "应用于 %(at)s",
}
