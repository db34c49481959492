"""Chinese for keyset paging of record lists (issue 10: keyset paging, `after=CURSOR`)."""
ZH = {
    "parameter 'after' is not a cursor given by this list (start again without it)":
        "参数 after 不是本列表给出的游标（请去掉它重新开始）",
    "parameters 'after' and 'page' cannot be combined": "参数 after 与 page 不能同时使用",
}
