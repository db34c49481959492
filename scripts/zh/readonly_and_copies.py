"""Chinese for role read-only fields and tables copied by a transition's create (issue 13: 3, 4)."""
ZH = {
    "is read-only for you": "对你只读",
    "'%(name)s' is hidden from this role; it cannot also be read-only":
        "“%(name)s”对该角色隐藏，不能同时设为只读",
    "%(form)s: fields read-only for %(role)s: %(old)s → %(new)s": "%(form)s：对 %(role)s 只读的字段 %(old)s → %(new)s",
    "'%(name)s' is not a table field; only a table takes rows from another table":
        "“%(name)s”不是子表字段；只有子表才能从另一个子表复制行",
    "table '%(name)s' takes the rows of a table: name a table of this record ('items') or of a linked record "
    "('link.items')":
        "子表“%(name)s”复制的是子表的行：请写本记录的子表（items）或关联记录的子表（link.items）",
    "column '%(name)s' is %(type)s in '%(table)s' but %(target_type)s in '%(target)s'; map it with "
    "{\"from\": ..., \"set\": {...}}":
        "列“%(name)s”在“%(table)s”中是 %(type)s，在“%(target)s”中是 %(target_type)s；"
        "请用 {\"from\": ..., \"set\": {...}} 映射",
    "table '%(table)s' has no column '%(name)s'": "子表“%(table)s”没有列“%(name)s”",
    "column '%(name)s' is %(target_type)s but '%(source)s' is %(type)s":
        "列“%(name)s”是 %(target_type)s，而“%(source)s”是 %(type)s",
}
