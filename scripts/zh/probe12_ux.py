"""Chinese for the fixes of the issue #12 probe's usability findings (session, expression messages,
where a problem is, duplicate labels, version numbers)."""
ZH = {
    "Your login has expired: log in again in a new tab, then click Retry. Your edits stay in this page.":
        "登录已过期：请在新标签页中重新登录，然后点击重试。您的修改仍保留在本页中。",
    "Log in (new tab)": "登录（新标签页）",
    "Retry": "重试",
}

ZH.update({
    # the expression parser (server and the designer's live check: the same msgids)
    "syntax error: unexpected end": "表达式没有写完（结尾缺少内容）",
    "syntax error: invalid syntax": "此处无法理解（请检查运算符、括号和引号）",
    "unclosed bracket": "括号没有闭合",
    "unbalanced %(bracket)s": "多余的右括号 %(bracket)s",
    "unbalanced {bracket}": "多余的右括号 {bracket}",
    "unterminated string literal": "文本缺少结尾的引号",
    "expression is empty": "表达式为空",
    "expression is too long (%(n)s > %(max)s characters)": "表达式太长（%(n)s 个字符，最多 %(max)s 个）",
    "brackets are nested too deeply (more than %(n)s levels)": "括号嵌套太深（超过 %(n)s 层）",
    "expression is nested too deeply (more than %(n)s levels)": "表达式嵌套太深（超过 %(n)s 层）",
    "'$' may only be used in the variable $user": "“$”只能用于变量 $user",
    "comments ('#') are not allowed": "不允许注释（“#”）",
    "backslashes are only allowed inside string literals": "反斜杠只能出现在引号内的文本中",
    "character %(char)s is only allowed inside a string literal":
        "字符 %(char)s 只能出现在引号内的文本中（字段请用它的英文名称）",
    "control character %(char)s is not allowed": "不允许控制字符 %(char)s",
    "use == to compare": "比较请使用 ==",
    "character {char} is not allowed": "不允许字符 {char}",
    "expected {token}": "此处应为 {token}",
    "leading zeros in a number are not allowed": "数字不能以 0 开头",
    "unary '{op}' is not allowed": "不允许一元运算符“{op}”",
    "operator '{op}' is not allowed": "不允许运算符“{op}”",
    "'{name}' is a function; call it like {name}(...)": "“{name}”是函数，请这样调用：{name}(...)",
    "unknown function '{name}'; allowed: {allowed}": "未知函数“{name}”；允许的函数：{allowed}",
    "only these functions may be called: {allowed}": "只能调用这些函数：{allowed}",
    "{name}() takes {expected} argument(s), got {count}": "{name}() 需要 {expected} 个参数，实际给了 {count} 个",
    "{message} (at character {at})": "{message}（第 {at} 个字符处）",
    "What is aggregated over the linked records: `count()`, or `sum(F)`, `avg(F)`, `min(F)`, `max(F)` of a "
    "number field F of `form`, e.g. `sum(amount)`.":
        "汇总方式：count()（记录数），或关联表单中数字字段 F 的 sum(F)、avg(F)、min(F)、max(F)（合计、平均值、"
        "最小值、最大值），例如 sum(amount)。",
    # where a problem is
    "the whole file": "整个文件",
    "stage {title}": "阶段 {title}",
    "action {title}": "操作 {title}",
    "approval step {title}": "审批步骤 {title}",
    "reminder {n}": "提醒 {n}",
    "chart {title}": "图表 {title}",
    "role {title}": "角色 {title}",
    "option {title}": "选项 {title}",
    "list page": "列表页",
    "permissions": "权限",
    "flow": "流程",
    # what a new field still needs
    "Choose the form this field links to.": "请选择此字段关联的表单。",
    "Choose the form whose records are summed up.": "请选择要汇总其记录的表单。",
    "Choose the link field of that form that points to this form.": "请选择该表单中指向本表单的关联字段。",
    "Choose what is summed up: the number of records, or the sum, average, minimum or maximum of a number field.":
        "请选择汇总方式：记录数，或某个数字字段的合计、平均值、最小值或最大值。",
    "Write the formula.": "请填写公式。",
    "Add the options to choose from.": "请添加可供选择的选项。",
})
ZH["character {char} is only allowed inside a string literal"] = "字符 {char} 只能出现在引号内的文本中（字段请用它的英文名称）"
ZH["Another field of this form ({name}) is also labelled {label}: staff, lists and imports cannot tell them apart."] = \
    "本表单中另一个字段（{name}）也叫 {label}：员工、列表和导入时无法区分它们。"
ZH["same label"] = "同名"
ZH.update({
    "on %(field)s": "%(field)s当天",
    "%(offset)s before %(field)s": "%(field)s前 %(offset)s",
    "%(offset)s after %(field)s": "%(field)s后 %(offset)s",
})
ZH.update({
    "Version #%(n)s": "版本 #%(n)s",
    "(of #%(n)s)": "（恢复自 #%(n)s）",
})
ZH["{label} ({name})"] = "{label}（{name}）"
