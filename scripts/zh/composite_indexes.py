"""Chinese for composite indexes of a form (`indexes`, issue 15)."""
ZH = {
    "'%(name)s' is already in this index": "'%(name)s' 已在此索引中",
    "a %(type)s field cannot be in an index": "%(type)s 类型的字段不能用于索引",
    "the same index as /indexes/%(other)s": "与 /indexes/%(other)s 是同一个索引",
    "%(form)s: added index (%(item)s)": "%(form)s：新增索引（%(item)s）",
    "%(form)s: dropped index (%(item)s)": "%(form)s：删除索引（%(item)s）",
}
