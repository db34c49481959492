"""Chinese for the review fixes of the issue-13 work (print related blocks, link sync)."""
ZH = {
    "The first %(shown)s of %(count)s records are printed; the totals are over all of them.":
        "仅打印前 %(shown)s 条（共 %(count)s 条），合计为全部记录之和。",
    "The first %(shown)s of %(count)s records are printed.": "仅打印前 %(shown)s 条（共 %(count)s 条）。",
    "records of %(form)s were changed at the same time; try again": "%(form)s 的记录同时被修改，请重试",
}
