"""Chinese for link filters, where and fill (issue 13: 1, 2)."""
ZH = {
    "must be a %(form)s of the chosen %(fields)s": "必须是所选%(fields)s的%(form)s",
    "is not among the %(form)s records that may be chosen here": "不在此处可选的%(form)s记录中",
    "{title} was cleared: it no longer fits the fields it depends on": "已清除 {title}：它与所依赖的字段不再相符",
    "parameter 'ids': at most %(n)s record ids, separated by commas": "参数 'ids'：最多 %(n)s 个记录 ID，以逗号分隔",
    "parameter 'values' must be a JSON object": "参数 'values' 必须是 JSON 对象",
    "parameter 'limit' must be a number from 1 to %(n)s": "参数 'limit' 必须是 1 到 %(n)s 之间的数字",
    "'%(target)s' is a %(type)s field, which a fill cannot set": "'%(target)s' 是%(type)s字段，数据联动不能填写它",
    "'%(source)s' is a %(source_type)s field and can only fill a field of the same type":
        "'%(source)s' 是%(source_type)s字段，只能填入同类型的字段",
    "'%(target)s' links to another form than '%(source)s'": "'%(target)s' 关联的表单与 '%(source)s' 不同",
    "'%(target)s' lacks some options of '%(source)s'": "'%(target)s' 缺少 '%(source)s' 的部分选项",
    "'%(target)s' (%(type)s) cannot take a copy of '%(source)s' (%(source_type)s)":
        "'%(target)s'（%(type)s）不能填入 '%(source)s'（%(source_type)s）的值",
    "'%(name)s' is no field of '%(form)s' a filter can compare": "'%(name)s' 不是 '%(form)s' 中可用于筛选比较的字段",
    "'%(name)s' is no field of this form": "'%(name)s' 不是本表单的字段",
    "'%(name)s' (%(type)s) cannot be compared with '%(other)s' (%(other_type)s)":
        "'%(name)s'（%(type)s）不能与 '%(other)s'（%(other_type)s）比较",
    "a table row's copies are snapshots: \"sync\" is for link fields of the record":
        "子表行中的联动值是快照：\"sync\" 只用于记录本身的关联字段",
    "'%(name)s' is no other field of this form": "'%(name)s' 不是本表单的其他字段",
    "'%(name)s' is no field of '%(form)s'": "'%(name)s' 不是 '%(form)s' 的字段",
}
