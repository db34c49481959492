"""Chinese for the inbox that lets approvers decide (issue 14, point 1): record summaries, the
task filters, select all, batch approve and reject, waiting times."""
ZH = {
    # summary lines in emails and chat messages
    "%(label)s: %(text)s": "%(label)s：%(text)s",
    # the inbox page
    "Result per task": "逐条处理结果",
    "All forms": "全部表单",
    "All steps": "全部步骤",
    "Overdue only": "仅看逾期",
    "Filter": "筛选",
    "Clear": "清除",
    "Step": "步骤",
    "Select all": "全选",
    "%(n)s selected": "已选 %(n)s 项",
    "One comment for all (required to reject)": "统一审批意见（驳回时必填）",
    "Reject selected": "驳回所选",
    "Reject the selected tasks?": "确定驳回所选待办吗？",
    "A comment is required to reject.": "驳回时必须填写审批意见。",
    "Select the tasks first.": "请先勾选待办。",
    "%(done)s rejected, %(failed)s not possible.": "已驳回 %(done)s 条，%(failed)s 条无法处理。",
    "waiting %(time)s": "已等待 %(time)s",
    "per_page must be a whole number from 1 to %(most)s": "per_page 必须是 1 到 %(most)s 之间的整数",
    "%(n)s min": "%(n)s 分钟",
    "%(n)s h": "%(n)s 小时",
    "%(d)s d %(h)s h": "%(d)s 天 %(h)s 小时",
    "%(d)s d": "%(d)s 天",
    # the form designer's settings
    "Summary": "摘要",
    "Up to 6 fields shown with a record's title in tasks, notifications and emails; each reader sees only the "
    "fields not hidden from them.":
        "与记录标题一起显示在待办、通知和邮件中的字段（最多 6 个）；每个人只看到对其未隐藏的字段。",
    "Add a summary field…": "添加摘要字段…",
    "None chosen: the first 3 list columns other than the title.": "未选择：使用列表中标题之外的前 3 列。",
    # bad inbox and notification filters (400 saying what)
    "unknown parameter '%(name)s' (use %(known)s)": "未知参数 '%(name)s'（可用：%(known)s）",
    "%(name)s must be open, done or cc": "%(name)s 只能是 open、done 或 cc",
    "overdue must be 1 or 0": "overdue 只能是 1 或 0",
    "unread must be 1 or 0": "unread 只能是 1 或 0",
    "unknown form '%(name)s' in parameter 'form'": "参数 form 中的表单 '%(name)s' 不存在",
    "unknown approval step '%(name)s' in parameter 'step'": "参数 step 中的审批步骤 '%(name)s' 不存在",
    "'ids' must be a list of task ids": "'ids' 必须是待办编号的列表",
    # the record page: approval runs before the one the route shows
    "Earlier approvals": "以往审批",
}
