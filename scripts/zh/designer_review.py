"""Chinese for the designer's review (issue 12: change list, schema plan effects, preview)."""
ZH = {
    # values and terms
    "(none)": "（无）",
    "yes": "是",
    "no": "否",
    "everyone": "所有人",
    "any stage": "任意阶段",
    ", ": "、",
    "every record": "所有记录",
    "every field": "全部字段",
    "none": "无",
    "their own": "本人的",
    "all": "全部",
    "read": "查看",
    "edit": "编辑",
    "delete": "删除",
    "records where %(condition)s": "满足 %(condition)s 的记录",
    "manager of %(field)s": "%(field)s 的上级",
    "%(field)s, newest first": "%(field)s，从新到旧",
    "%(field)s, oldest first": "%(field)s，从旧到新",
    "%(n)s minutes": "%(n)s 分钟",
    "%(n)s hours": "%(n)s 小时",
    "%(n)s days": "%(n)s 天",
    "%(n)s weeks": "%(n)s 周",
    "any one approver (或签)": "任一审批人通过（或签）",
    "every approver (会签)": "全部审批人通过（会签）",
    # setting names
    "help text": "帮助说明",
    "placeholder": "占位提示",
    "read-only": "只读",
    "indexed": "建立索引",
    "warn of duplicates": "重复提醒",
    "maximum length": "最大长度",
    "minimum length": "最小长度",
    "decimal places": "小数位数",
    "minimum": "最小值",
    "maximum": "最大值",
    "linked form": "关联表单",
    "role of the users offered": "可选用户的角色",
    "rows": "行数",
    "minimum rows": "最少行数",
    "maximum rows": "最多行数",
    "pattern": "格式",
    "accepted files": "允许的文件类型",
    "result type": "结果类型",
    "scale": "分值范围",
    "several values": "多选",
    "value": "值",
    "link": "关联字段",
    "condition": "条件",
    "may approve their own": "可审批本人提交的记录",
    "skipped if the approver approved before": "审批人已审批过则跳过",
    "date field": "日期字段",
    "offset": "提前/延后",
    "notify": "通知对象",
    "message": "消息",
    "transition": "流转",
    # modules, roles, forms
    "added module %(module)s": "新增模块 %(module)s",
    "removed module %(module)s": "删除模块 %(module)s",
    "module %(old)s is now called %(new)s": "模块 %(old)s 改名为 %(new)s",
    "added role %(role)s": "新增角色 %(role)s",
    "removed role %(role)s": "删除角色 %(role)s",
    "role %(old)s is now called %(new)s": "角色 %(old)s 改名为 %(new)s",
    "added form %(form)s (%(count)s fields)": "新增表单 %(form)s（%(count)s 个字段）",
    "removed form %(form)s": "删除表单 %(form)s",
    "renamed form %(old)s → %(new)s": "表单改名 %(old)s → %(new)s",
    "form %(old)s is now called %(new)s": "表单 %(old)s 的标题改为 %(new)s",
    "%(form)s: moved to module %(module)s": "%(form)s：移到模块 %(module)s",
    "%(form)s: description changed": "%(form)s：说明已修改",
    "%(form)s: title field %(old)s → %(new)s": "%(form)s：标题字段 %(old)s → %(new)s",
    "%(form)s: owner field %(old)s → %(new)s": "%(form)s：负责人字段 %(old)s → %(new)s",
    "%(form)s: the updates of linked records changed": "%(form)s：对关联记录的自动更新已修改",
    # fields
    "%(form)s: added field %(field)s (%(type)s)": "%(form)s：新增字段 %(field)s（%(type)s）",
    "%(form)s: removed field %(field)s (%(type)s)": "%(form)s：删除字段 %(field)s（%(type)s）",
    "%(form)s: renamed field %(old)s → %(new)s": "%(form)s：字段改名 %(old)s → %(new)s",
    "%(form)s: field %(old)s is now labelled %(new)s": "%(form)s：字段 %(old)s 的名称改为 %(new)s",
    "%(form)s: field %(field)s: type %(old)s → %(new)s": "%(form)s：字段 %(field)s 的类型 %(old)s → %(new)s",
    "%(form)s: field %(field)s is now required": "%(form)s：字段 %(field)s 改为必填",
    "%(form)s: field %(field)s is no longer required": "%(form)s：字段 %(field)s 改为选填",
    "%(form)s: field %(field)s must now be unique": "%(form)s：字段 %(field)s 改为不允许重复",
    "%(form)s: field %(field)s no longer needs to be unique": "%(form)s：字段 %(field)s 改为允许重复",
    "%(form)s: field %(field)s: default %(old)s → %(new)s": "%(form)s：字段 %(field)s 的默认值 %(old)s → %(new)s",
    "%(form)s: field %(field)s is now shown only when %(condition)s":
        "%(form)s：字段 %(field)s 改为仅在 %(condition)s 时显示",
    "%(form)s: field %(field)s is now always shown": "%(form)s：字段 %(field)s 改为始终显示",
    "%(form)s: field %(field)s: shown when %(old)s → %(new)s": "%(form)s：字段 %(field)s 的显示条件 %(old)s → %(new)s",
    "%(form)s: field %(field)s: %(setting)s %(old)s → %(new)s": "%(form)s：字段 %(field)s 的%(setting)s %(old)s → %(new)s",
    "%(form)s: field %(field)s: formula %(old)s → %(new)s": "%(form)s：字段 %(field)s 的公式 %(old)s → %(new)s",
    "%(form)s: field %(field)s: added option %(option)s": "%(form)s：字段 %(field)s 新增选项 %(option)s",
    "%(form)s: field %(field)s: removed option %(option)s": "%(form)s：字段 %(field)s 删除选项 %(option)s",
    "%(form)s: field %(field)s: option %(old)s is now shown as %(new)s":
        "%(form)s：字段 %(field)s 的选项 %(old)s 改为显示 %(new)s",
    "%(form)s: field %(field)s: options reordered": "%(form)s：字段 %(field)s 的选项顺序已调整",
    "%(form)s: field %(field)s: option colours or details changed": "%(form)s：字段 %(field)s 的选项颜色或细节已修改",
    "%(form)s: field %(field)s moved to the top": "%(form)s：字段 %(field)s 移到最前",
    "%(form)s: field %(field)s moved after %(after)s": "%(form)s：字段 %(field)s 移到 %(after)s 之后",
    # list, charts, permissions, reminders
    "%(form)s: list columns %(old)s → %(new)s": "%(form)s：列表列 %(old)s → %(new)s",
    "%(form)s: list filters %(old)s → %(new)s": "%(form)s：列表筛选 %(old)s → %(new)s",
    "%(form)s: quick search fields %(old)s → %(new)s": "%(form)s：快速搜索字段 %(old)s → %(new)s",
    "%(form)s: list order %(old)s → %(new)s": "%(form)s：列表排序 %(old)s → %(new)s",
    "%(form)s: rows per page %(old)s → %(new)s": "%(form)s：每页行数 %(old)s → %(new)s",
    "%(form)s: added chart %(item)s": "%(form)s：新增图表 %(item)s",
    "%(form)s: removed chart %(item)s": "%(form)s：删除图表 %(item)s",
    "%(form)s: chart %(old)s is now called %(new)s": "%(form)s：图表 %(old)s 改名为 %(new)s",
    "%(form)s: chart %(chart)s: %(new)s (was %(old)s)": "%(form)s：图表 %(chart)s 改为 %(new)s（原为 %(old)s）",
    "%(form)s: %(role)s may now create records": "%(form)s：%(role)s 可以新建记录了",
    "%(form)s: %(role)s may no longer create records": "%(form)s：%(role)s 不再可以新建记录",
    "%(form)s: %(role)s may %(action)s: %(old)s → %(new)s": "%(form)s：%(role)s 可%(action)s的记录 %(old)s → %(new)s",
    "%(form)s: fields hidden from %(role)s: %(old)s → %(new)s": "%(form)s：对 %(role)s 隐藏的字段 %(old)s → %(new)s",
    "%(form)s: added reminder %(item)s": "%(form)s：新增提醒 %(item)s",
    "%(form)s: removed reminder %(item)s": "%(form)s：删除提醒 %(item)s",
    "%(form)s: reminder %(reminder)s: %(setting)s %(old)s → %(new)s": "%(form)s：提醒 %(reminder)s 的%(setting)s %(old)s → %(new)s",
    # workflow
    "%(form)s: added a workflow with %(count)s stages": "%(form)s：新增流程（%(count)s 个阶段）",
    "%(form)s: removed the workflow": "%(form)s：删除流程",
    "%(form)s: new records start in %(new)s (was %(old)s)": "%(form)s：新记录的起始阶段改为 %(new)s（原为 %(old)s）",
    "%(form)s: added stage %(stage)s": "%(form)s：新增阶段 %(stage)s",
    "%(form)s: removed stage %(stage)s": "%(form)s：删除阶段 %(stage)s",
    "%(form)s: renamed stage %(old)s → %(new)s": "%(form)s：阶段改名 %(old)s → %(new)s",
    "%(form)s: stage %(old)s is now called %(new)s": "%(form)s：阶段 %(old)s 的名称改为 %(new)s",
    "%(form)s: stage %(stage)s: editable fields %(old)s → %(new)s": "%(form)s：阶段 %(stage)s 可编辑字段 %(old)s → %(new)s",
    "%(form)s: stage %(stage)s is now final": "%(form)s：阶段 %(stage)s 改为结束阶段",
    "%(form)s: stage %(stage)s is no longer final": "%(form)s：阶段 %(stage)s 不再是结束阶段",
    "%(form)s: stage %(stage)s: due within %(old)s → %(new)s": "%(form)s：阶段 %(stage)s 的处理时限 %(old)s → %(new)s",
    "%(form)s: stage %(stage)s: reminder before due %(old)s → %(new)s":
        "%(form)s：阶段 %(stage)s 的到期前提醒 %(old)s → %(new)s",
    "%(form)s: stage %(stage)s: escalation removed": "%(form)s：阶段 %(stage)s 取消超时升级",
    "%(form)s: stage %(stage)s: when overdue, notify %(notify)s, then %(then)s":
        "%(form)s：阶段 %(stage)s 超时后通知 %(notify)s，然后 %(then)s",
    "%(form)s: stage %(stage)s: added an approval with %(count)s steps": "%(form)s：阶段 %(stage)s 新增审批（%(count)s 步）",
    "%(form)s: stage %(stage)s: removed the approval": "%(form)s：阶段 %(stage)s 取消审批",
    "%(form)s: stage %(stage)s: when approved go to %(old)s → %(new)s": "%(form)s：阶段 %(stage)s 审批通过后进入 %(old)s → %(new)s",
    "%(form)s: stage %(stage)s: when rejected go to %(old)s → %(new)s": "%(form)s：阶段 %(stage)s 审批驳回后进入 %(old)s → %(new)s",
    "%(form)s: stage %(stage)s: added approval step %(step)s → %(approvers)s (%(mode)s)":
        "%(form)s：阶段 %(stage)s 新增审批步骤 %(step)s → %(approvers)s（%(mode)s）",
    "%(form)s: stage %(stage)s: added approval step %(step)s when %(condition)s → %(approvers)s (%(mode)s)":
        "%(form)s：阶段 %(stage)s 新增审批步骤 %(step)s：当 %(condition)s → %(approvers)s（%(mode)s）",
    "%(form)s: stage %(stage)s: removed approval step %(step)s": "%(form)s：阶段 %(stage)s 删除审批步骤 %(step)s",
    "%(form)s: stage %(stage)s: approval steps reordered": "%(form)s：阶段 %(stage)s 的审批步骤顺序已调整",
    "%(form)s: stage %(stage)s: approval step %(old)s is now called %(new)s":
        "%(form)s：阶段 %(stage)s 的审批步骤 %(old)s 改名为 %(new)s",
    "%(form)s: stage %(stage)s: approval step %(step)s: approvers %(old)s → %(new)s":
        "%(form)s：阶段 %(stage)s 审批步骤 %(step)s 的审批人 %(old)s → %(new)s",
    "%(form)s: stage %(stage)s: approval step %(step)s: %(old)s → %(new)s":
        "%(form)s：阶段 %(stage)s 审批步骤 %(step)s：%(old)s → %(new)s",
    "%(form)s: stage %(stage)s: approval step %(step)s: applies when %(old)s → %(new)s":
        "%(form)s：阶段 %(stage)s 审批步骤 %(step)s 的适用条件 %(old)s → %(new)s",
    "%(form)s: stage %(stage)s: approval step %(step)s: copy to %(old)s → %(new)s":
        "%(form)s：阶段 %(stage)s 审批步骤 %(step)s 的抄送 %(old)s → %(new)s",
    "%(form)s: stage %(stage)s: approval step %(step)s: %(setting)s %(old)s → %(new)s":
        "%(form)s：阶段 %(stage)s 审批步骤 %(step)s 的%(setting)s %(old)s → %(new)s",
    "%(form)s: added transition %(transition)s (%(source)s → %(target)s)":
        "%(form)s：新增流转 %(transition)s（%(source)s → %(target)s）",
    "%(form)s: removed transition %(transition)s": "%(form)s：删除流转 %(transition)s",
    "%(form)s: transition %(old)s is now called %(new)s": "%(form)s：流转 %(old)s 改名为 %(new)s",
    "%(form)s: transition %(transition)s: %(old_from)s → %(old_to)s is now %(new_from)s → %(new_to)s":
        "%(form)s：流转 %(transition)s 由 %(old_from)s → %(old_to)s 改为 %(new_from)s → %(new_to)s",
    "%(form)s: transition %(transition)s: who may use it %(old)s → %(new)s":
        "%(form)s：流转 %(transition)s 的可操作角色 %(old)s → %(new)s",
    "%(form)s: transition %(transition)s: condition %(old)s → %(new)s": "%(form)s：流转 %(transition)s 的条件 %(old)s → %(new)s",
    "%(form)s: transition %(transition)s: required fields %(old)s → %(new)s":
        "%(form)s：流转 %(transition)s 的必填字段 %(old)s → %(new)s",
    "%(form)s: transition %(transition)s: comment required %(old)s → %(new)s":
        "%(form)s：流转 %(transition)s 是否必须填写意见 %(old)s → %(new)s",
    "%(form)s: transition %(transition)s: confirmation %(old)s → %(new)s":
        "%(form)s：流转 %(transition)s 的确认提示 %(old)s → %(new)s",
    "%(form)s: transition %(transition)s: fields it sets %(old)s → %(new)s":
        "%(form)s：流转 %(transition)s 自动设置的字段 %(old)s → %(new)s",
    "%(form)s: transition %(transition)s: creates %(old)s → %(new)s": "%(form)s：流转 %(transition)s 自动新建 %(old)s → %(new)s",
    # schema plan: effects on the data
    "creates the table of the new form %(form)s": "为新表单 %(form)s 建立数据表",
    "%(form)s: creates the table of the line items %(field)s": "%(form)s：为明细 %(field)s 建立数据表",
    "adds column %(field)s (%(type)s) to %(form)s": "在 %(form)s 中新增列 %(field)s（%(type)s）",
    "renames form %(old)s → %(form)s (%(count)s records kept)": "表单改名 %(old)s → %(form)s（保留 %(count)s 条记录）",
    "%(form)s: renames %(old)s → %(field)s (%(count)s values kept)": "%(form)s：字段改名 %(old)s → %(field)s（保留 %(count)s 个值）",
    "%(form)s: renames stage %(old)s → %(stage)s (%(count)s records in it keep their place)":
        "%(form)s：阶段改名 %(old)s → %(stage)s（其中 %(count)s 条记录随之保留）",
    "%(form)s: changes the type of %(field)s from %(old_type)s to %(new_type)s (it holds no values)":
        "%(form)s：字段 %(field)s 的类型由 %(old_type)s 改为 %(new_type)s（该字段没有数据）",
    "%(form)s: %(field)s must be unique from now on (%(count)s values checked, no duplicates)":
        "%(form)s：%(field)s 今后不允许重复（已检查 %(count)s 个值，没有重复）",
    "%(form)s: field %(field)s leaves the form; its %(count)s stored values are kept (nothing is deleted)":
        "%(form)s：字段 %(field)s 从表单中移除；已存的 %(count)s 个值保留在数据库中（不会删除任何数据）",
    "%(form)s: puts %(count)s records without a stage into %(stage)s": "%(form)s：把 %(count)s 条没有阶段的记录放入 %(stage)s",
    "refused: %(form)s already has a column %(field)s with %(count)s values the engine did not create; "
    "give the field another name":
        "已拒绝：%(form)s 中已有一个不是由系统建立的列 %(field)s，存有 %(count)s 个值；请给字段换个名称",
    "refused: changing the type of %(form)s %(field)s from %(old_type)s to %(new_type)s would rewrite "
    "%(count)s stored values; add a new field instead":
        "已拒绝：把 %(form)s 的 %(field)s 由 %(old_type)s 改为 %(new_type)s 会改写已存的 %(count)s 个值；请改为新增一个字段",
    "refused: %(form)s %(field)s cannot be made unique, %(count)s values occur more than once":
        "已拒绝：%(form)s 的 %(field)s 不能设为不允许重复，有 %(count)s 个值出现了不止一次",
    "refused: removing stage %(stage)s of %(form)s while %(count)s records are in it (rename it, or move the "
    "records first)":
        "已拒绝：%(form)s 的阶段 %(stage)s 中还有 %(count)s 条记录，不能删除（可改名，或先把记录移走）",
    "refused: removing form %(form)s while it has %(count)s records (to rename it, name the old form in the new "
    "one's \"renamed from\")":
        "已拒绝：表单 %(form)s 还有 %(count)s 条记录，不能删除（如要改名，请在新表单的“原名称”中填写旧表单）",
}
