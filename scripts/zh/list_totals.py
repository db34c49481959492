"""Chinese for bounded list totals and keyset page links (issue 15: a million records like ten thousand)."""
ZH = {
    "about %(n)s": "约 %(n)s",
    "First": "首页",
    "Previous": "上一页",
    "Next": "下一页",
    "parameter 'before' is not a cursor given by this list (start again without it)":
        "参数 before 不是本列表给出的游标（请去掉它重新开始）",
    "parameters 'before' and 'page' cannot be combined": "参数 before 与 page 不能同时使用",
    "parameters 'after' and 'before' cannot be combined": "参数 after 与 before 不能同时使用",
}
