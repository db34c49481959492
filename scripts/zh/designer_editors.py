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
    'print layout {title}':
        '打印模板 {title}',
    'block {n}':
        '内容块 {n}',
    'Form':
        '表单',
    'Add a print layout':
        '添加打印模板',
    "A print layout is a document staff print or download as PDF from a record (the 打印 menu): the head with "
    "the company name and logo, blocks from top to bottom, a footer. Only fields the reader may read are printed.":
        '打印模板是员工在记录页面（打印菜单）打印或下载为 PDF 的文档：'
        '带公司名称和 Logo 的页眉、自上而下的内容块和页脚。只打印阅读者有权查看的字段。',
    '{form} has no print layouts yet.':
        '{form}还没有打印模板。',
    'Add a print layout to {form}':
        '为{form}添加打印模板',
    'Move a print layout of {form}':
        '移动{form}的打印模板',
    'Remove a print layout of {form}':
        '删除{form}的打印模板',
    'Change a print layout of {form}':
        '修改{form}的打印模板',
    '{blocks} blocks · {paper}':
        '{blocks} 个内容块 · {paper}',
    'Edit in JSON':
        '在 JSON 中编辑',
    'Opens the layout in the JSON tab (for what this tab does not edit, such as records listed from another form).':
        '在 JSON 标签页中打开此模板（用于本页不能编辑的设置，如列出其他表单的关联记录）。',
    'Remove the print layout {title}?':
        '删除打印模板“{title}”？',
    'Title':
        '标题',
    'Name':
        '标识名',
    "Used in the print page's address: lowercase letters, digits and _.":
        '用于打印页面的地址：小写字母、数字和 _。',
    'Paper':
        '纸张',
    'A4 landscape':
        'A4 横向',
    'A5 landscape':
        'A5 横向',
    'Who may print':
        '可打印的角色',
    'None ticked: everyone who may read the record.':
        '都不勾选：能查看该记录的所有人都可打印。',
    'Head':
        '页眉',
    'Company name':
        '公司名称',
    "The heading below them: empty prints the layout's title.":
        '下方为文档标题：留空则打印模板标题。',
    'Blocks (top to bottom)':
        '内容块（自上而下）',
    'Add a block':
        '添加内容块',
    'Remarks: {remark}':
        '备注：{remark}',
    'Prepared by':
        '经办人',
    'Approved by':
        '审核人',
    'Signature {n}':
        '签字 {n}',
    'Fields':
        '字段',
    'Line-item table':
        '明细表',
    'Records linking here':
        '关联记录列表',
    'Amount in capital figures (大写金额)':
        '大写金额',
    'Text':
        '文字',
    'Signature lines':
        '签字栏',
    'Block (edit in JSON)':
        '内容块（请在 JSON 中编辑）',
    'Footer':
        '页脚',
    "{field} puts in a field's value, e.g. {name}.":
        '{field} 会替换为字段的值，例如 {name}。',
    'Add a field':
        '添加字段',
    'Pairs per line':
        '每行字段数',
    'Columns (all when none is chosen)':
        '列（不选则打印全部列）',
    'Totals row':
        '合计行',
    'Add a signature line':
        '添加签字栏',
    'Print layouts':
        '打印模板',
    "A4": "A4",
    "A5": "A5",
    "Logo": "Logo",
    "{form}": "{form}",
    "{form} whose {link} is this record": "{link}为本记录的{form}",
}
