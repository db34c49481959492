"""Chinese for the third probe's access fixes: who a task may be handed on to."""
ZH = {
    "%(name)s may not read this record through their own roles, so cannot decide on it":
        "%(name)s 的角色无权查看这条记录，不能审批它",
    "fields of this record are hidden from %(name)s, so they cannot decide on it":
        "这条记录有字段对 %(name)s 隐藏，%(name)s 不能审批它",
}
