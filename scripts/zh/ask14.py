"""Chinese for "ask, don't fail" and the board's drag (issue 14, points 3 and 6)."""
ZH = {
    # the fields an action asks for
    "not asked by this transition": "此操作不需要填写该字段",
    "not asked by this step": "此审批步骤不需要填写该字段",
    "must be an object of field values": "必须是字段值的对象",
    "only approve takes fields": "只有同意时可以填写字段",
    "required to approve at '%(step)s'": "在「%(step)s」同意前必须填写",
    "already filled: to change it, edit the record": "已填写：如需修改，请编辑记录",
    "to approve at '%(step)s', fill in first: %(fields)s": "在「%(step)s」同意前，请先填写：%(fields)s",
    "must be an integer (the version the action is based on)": "必须是整数（操作所基于的版本号）",
    "%(form)s: stage %(stage)s: approval step %(step)s: required fields %(old)s → %(new)s":
        "%(form)s：阶段 %(stage)s 审批步骤 %(step)s 的必填字段 %(old)s → %(new)s",
    # the designer: a step's require
    "Fields the approver fills to approve": "审批人同意时须填写的字段",
    "Asked on approving while still empty; a batch approval skips the record.": "仍为空时在同意时询问；批量同意会跳过该记录。",
    # the board
    "No action moves a record from %(from)s to %(to)s.": "没有可将记录从「%(from)s」移到「%(to)s」的操作。",
    "You may not do '%(action)s' on this record.": "您不能对此记录执行「%(action)s」。",
    "The conditions for '%(action)s' are not met.": "「%(action)s」的条件不满足。",
    "'%(action)s' is not possible now.": "现在无法执行「%(action)s」。",
    "Which action?": "执行哪个操作？",
    "The move could not be checked; try again.": "无法检查此移动，请重试。",
}
