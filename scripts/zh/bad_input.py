"""Chinese for the messages about bad input, uploads and an unreachable database."""
ZH = {
    " (and %(n)s more)": "（另有 %(n)s 项）",
    "text may not contain NUL (\\u0000) characters": "文本不能包含 NUL（\\u0000）字符",
    "text may not contain lone surrogates (\\ud800-\\udfff); send valid UTF-8 text":
        "文本不能包含孤立的代理字符（\\ud800-\\udfff）；请发送有效的 UTF-8 文本",
    "JSON nested more than %(n)s levels deep": "JSON 嵌套超过 %(n)s 层",
    "in a key": "在键名中",
    "the body is not UTF-8 text (byte %(n)s)": "请求体不是 UTF-8 文本（第 %(n)s 字节）",
    "invalid JSON: %(error)s": "无效的 JSON：%(error)s",
    "unknown keys in the body: %(keys)s (expected %(allowed)s)": "请求体中有未知的键：%(keys)s（应为 %(allowed)s）",
    "the request body must be a JSON object (Content-Type: application/json)":
        "请求体必须是 JSON 对象（Content-Type: application/json）",
    "at most %(n)s task ids in one batch": "一次批量操作最多 %(n)s 个任务",
    "the request body is too large": "请求体过大",
    "the request body is larger than %(n)s bytes": "请求体超过 %(n)s 字节",
    "The database cannot be reached right now; try again in a moment.": "暂时无法连接数据库，请稍后再试。",
    "Temporarily unavailable": "暂时不可用",
    "you have %(n)s uploaded files not attached to any record; attach them or wait until they are cleaned up":
        "您有 %(n)s 个已上传但未关联到记录的文件；请先关联，或等待系统清理",
    "uploads not attached to a record may take at most %(quota)s bytes per user (%(used)s in use); attach them "
    "to records or wait until they are cleaned up":
        "每位用户未关联到记录的上传文件最多 %(quota)s 字节（已用 %(used)s）；请先关联到记录，或等待系统清理",
    "an uploaded file is no longer available; upload it again": "上传的文件已不存在，请重新上传",
    "the change conflicts with another change; try again": "此修改与另一项修改冲突，请重试",
    "the record is busy; try again": "该记录正忙，请重试",
    "a linked record was deleted at the same time; check the links and try again":
        "所关联的记录刚被他人删除，请检查关联后重试",
}
