"""Chinese for the output-visibility texts: links to unreadable records, history titles, error pages."""
ZH = {
    "(no access)": "无权查看",
    "created %(form)s %(title)s": "已创建%(form)s %(title)s",
    "created %(form)s": "已创建%(form)s",
    "through %(form)s %(title)s": "来自%(form)s %(title)s",
    "This page does not exist, or you may not see it.": "页面不存在，或您无权查看。",
}
