"""Chinese for the second round of probe fixes: form body limits, query bounds."""
ZH = {
    "a field of the form is larger than %(n)s bytes": "表单中有一项超过 %(n)s 字节",
    "Address too long": "地址过长",
    "the query string is %(got)s bytes long; at most %(n)s are allowed": "查询字符串长 %(got)s 字节，最多允许 %(n)s 字节",
    "the query string has %(got)s parameters; at most %(n)s are allowed": "查询字符串有 %(got)s 个参数，最多允许 %(n)s 个",
}
