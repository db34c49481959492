"""Chinese for the third zh UI probe (issue 10: config type names, history, CLI language, sizes, tokens)."""
ZH = {
    "'string'": "文本",
    "'number'": "数字",
    "'integer'": "整数",
    "'boolean'": "是/否",
    "'object'": "对象",
    "'array'": "列表",
    "'null'": "空值",
    "%(value)s must be text matching %(pattern)s": "%(value)s 必须是符合 %(pattern)s 的文本",
    # sizes as people read them (engine/sizes.py)
    "the request body is larger than %(size)s": "请求体超过 %(size)s",
    "a field of the form is larger than %(size)s": "表单中有一项超过 %(size)s",
    "file is larger than %(size)s": "文件超过 %(size)s",
    "uploads not attached to a record may take at most %(quota)s per user (%(used)s in use); attach them "
    "to records or wait until they are cleaned up":
        "每位用户未关联到记录的上传文件最多 %(quota)s（已用 %(used)s）；请先关联到记录，或等待系统清理",
    "The file is larger than {size}": "文件超过 {size}",
    # engine import (CLI), in --lang
    "row %(row)s: %(column)s: %(problems)s": "第 %(row)s 行：%(column)s：%(problems)s",
    "ignored columns: %(columns)s": "已忽略的列：%(columns)s",
    "%(created)s of %(rows)s rows imported": "已导入 %(created)s / %(rows)s 行",
    "nothing imported: %(failed)s of %(rows)s rows have errors": "未导入任何记录：%(rows)s 行中有 %(failed)s 行有错误",
}
