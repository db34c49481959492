"""Chinese for the designer's editors of localized texts, link filters and fills, read-only fields,
copied line-item tables and print layouts (issue 13)."""
ZH = {
    "English": "英文",
    "English text (optional)": "英文文本（可选）",
    "Shown to users whose language is English; empty: they see the Chinese text.":
        "界面语言为英文的用户看到此文本；留空则显示中文。",
    "Only records matching this record": "只可选择",
    "Only records that": "只可选择满足条件的记录",
    "Fill from the linked record": "带出字段",
    "Copies": "带出方式",
    "Copied when the link is chosen (snapshot)": "选择时带出一次（快照）",
    "Follow later changes of the linked record (sync)": "随关联记录的修改同步更新（同步）",
    "Choose the linked form first.": "请先选择关联的表单。",
    "Add a match": "添加匹配条件",
    "Match {n}: field of the linked form": "匹配条件 {n}：关联表单的字段",
    "Match {n}: field of this form": "匹配条件 {n}：本表单的字段",
    "Only {form} records whose field (left) equals this record's field (right) can be chosen; an empty field "
    "here does not restrict.":
        "只能选择左侧字段等于本记录右侧字段的{form}记录；本记录的字段为空时不限制。",
    "Only {form} records whose field (left) equals the field of this row (or of the record) on the right can be "
    "chosen; an empty field does not restrict.":
        "只能选择左侧字段等于本行（或本记录）右侧字段的{form}记录；该字段为空时不限制。",
    "A condition over the fields of {form}: other records cannot be chosen.":
        "按{form}的字段设置条件：不满足条件的记录不能选择。",
    "Add a field to fill": "添加带出字段",
    "Fill {n}: field of this form": "带出 {n}：本表单的字段",
    "Fill {n}: field of the linked record": "带出 {n}：关联记录的字段",
    "When a record is chosen, these fields of this form take the values of its fields.":
        "选择记录后，本表单的这些字段自动填入该记录对应字段的值。",
    "When a record is chosen, these columns of the row take the values of its fields.":
        "选择记录后，本行的这些列自动填入该记录对应字段的值。",
    "Read-only fields": "只读字段",
    "No read-only fields": "没有只读字段",
    "Read-only: {fields}": "只读：{fields}",
    "The role sees these fields but may not change them (pages show them disabled; the API refuses a change). "
    "With several roles, a field stays writable when one of them may change it.":
        "该角色能看到这些字段但不能修改（页面上显示为不可编辑，API 拒绝修改）。"
        "用户有多个角色时，只要其中一个角色可以修改，该字段即可修改。",
    "Make a field of {form} read-only for {role}": "将{form}的字段设为{role}只读",
    "Let {role} change a field of {form}": "允许{role}修改{form}的字段",
    "Rows copied from": "复制行的来源",
    "— no rows —": "— 不复制 —",
    "A line-item table takes the rows of a table of this record or of a linked record (columns by equal name).":
        "明细表可复制本记录或关联记录的明细行（按同名列复制）。",
}
