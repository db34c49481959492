"""Chinese for the second round of probe fixes: form body limits, query bounds."""
ZH = {
    "a field of the form is larger than %(n)s bytes": "表单中有一项超过 %(n)s 字节",
}
