"""Chinese for the chat robot channels (企业微信, 钉钉, 飞书) and @mentions in comments (issue 14, point 7)."""
ZH = {
    "Open the record": "查看记录",
    "%(label)s: %(text)s": "%(label)s：%(text)s",
    "WeCom userid or robot URL": "企业微信 userid 或机器人地址",
    "DingTalk userId, mobile or robot URL": "钉钉 userId、手机号或机器人地址",
    "Feishu open_id or bot URL": "飞书 open_id 或机器人地址",
    "a robot's address must start with %(start)s": "机器人地址须以 %(start)s 开头",
    "a WeCom userid (letters, digits, _ - @ and ., at most 64) or the URL of a WeCom robot":
        "须为企业微信 userid（字母、数字及 _ - @ .，至多 64 个字符）或企业微信机器人地址",
    "a DingTalk userId (letters, digits, _ $ . and -, at most 64), a mobile number or the URL of a DingTalk robot":
        "须为钉钉 userId（字母、数字及 _ $ . -，至多 64 个字符）、手机号或钉钉机器人地址",
    "a Feishu open_id (ou_ then letters and digits) or the URL of a Feishu bot":
        "须为飞书 open_id（ou_ 开头，后接字母和数字）或飞书机器人地址",
    "%(actor)s mentioned you in %(title)s: %(comment)s": "%(actor)s 在 %(title)s 中提到了你：%(comment)s",
}
ZH.update({
    "Add a comment (@ to mention someone)": "添加评论（输入 @ 提及他人）",
})
ZH.update({
    "An approval is waiting for you": "有一条待你审批的记录",
    "A task was handed on to you": "有一项审批转交给你",
    "A record was copied to you": "有一条记录抄送给你",
    "A record of yours was approved": "你的一条记录已通过",
    "A record of yours was rejected": "你的一条记录被驳回",
    "A record was sent back to you": "有一条记录退回给你",
    "A record is due soon": "有一条记录即将到期",
    "A record is overdue": "有一条记录已超时",
    "A record is overdue, please follow up": "有一条记录已超时，请督办",
    "A reminder about a record": "有一条记录提醒",
    "You were mentioned in a comment": "有人在评论中提到了你",
    "You have a new notification": "你有一条新通知",
    "Sent back to you: %(title)s (%(comment)s)": "已退回给你：%(title)s（%(comment)s）",
    "Sent back to you: %(title)s": "已退回给你：%(title)s",
    "Rejected: %(title)s": "已驳回：%(title)s",
})
