"""Chinese for the review's wording of a link's choices and copies (filter, where, fill, fill_mode)."""
ZH = {
    "copied once": "只带出一次",
    "copies follow the linked record": "随关联记录更新",
    "%(form)s: field %(field)s: added copy %(ours)s ← %(theirs)s": "%(form)s：字段 %(field)s 新增带出 %(ours)s ← %(theirs)s",
    "%(form)s: field %(field)s: removed copy %(ours)s ← %(theirs)s": "%(form)s：字段 %(field)s 删除带出 %(ours)s ← %(theirs)s",
    "%(form)s: field %(field)s: copy %(ours)s ← %(old)s → %(new)s": "%(form)s：字段 %(field)s 带出 %(ours)s ← %(old)s → %(new)s",
    "%(form)s: field %(field)s: added choose only %(theirs)s = %(ours)s": "%(form)s：字段 %(field)s 新增只可选择 %(theirs)s = %(ours)s",
    "%(form)s: field %(field)s: removed choose only %(theirs)s = %(ours)s": "%(form)s：字段 %(field)s 删除只可选择 %(theirs)s = %(ours)s",
    "%(form)s: field %(field)s: choose only %(old)s → %(new)s = %(ours)s": "%(form)s：字段 %(field)s 只可选择 %(old)s → %(new)s = %(ours)s",
    "%(form)s: field %(field)s: choices only where %(old)s → %(new)s": "%(form)s：字段 %(field)s 只可选择满足条件的记录 %(old)s → %(new)s",
    "%(form)s: field %(field)s: copies %(old)s → %(new)s": "%(form)s：字段 %(field)s 的带出方式 %(old)s → %(new)s",
}
ZH.update({
    "the rows of %(table)s": "%(table)s 的行",
    "%(rows)s with %(columns)s": "%(rows)s，%(columns)s",
    "%(form)s: transition %(transition)s: the new %(target)s's %(field)s: %(old)s → %(new)s":
        "%(form)s：流转 %(transition)s 新建的%(target)s的%(field)s %(old)s → %(new)s",
})
