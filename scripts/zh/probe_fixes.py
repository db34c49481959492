"""Chinese for the fixes after the outside probe: bounded definition problem lists, the JSON
parser's reasons in the config editor, and field type names."""
ZH = {
    "unknown keys %(keys)s, … and %(n)s more; allowed: %(allowed)s":
        "未知的键 %(keys)s，……另有 %(n)s 个；允许的键：%(allowed)s",
    "%(n)s more problems in this file are not listed": "此文件另有 %(n)s 个问题未列出",
    "… and %(n)s more problems": "……另有 %(n)s 个问题",
    "invalid JSON at line %(line)s, column %(column)s": "JSON 格式错误，第 %(line)s 行第 %(column)s 列",
    "unreadable value": "无法读取的值",
    "a key in double quotes is expected here (is there one comma too many before it?)":
        "此处应为双引号括起的键名（前面是否多了一个逗号？）",
    "the text in double quotes that starts here is not closed": "从此处开始的双引号文本没有结束",
    "a line break or other control character inside a text in double quotes": "双引号文本中有换行符或其他控制字符",
    "one comma too many before the closing bracket": "右括号前多了一个逗号",
    "a comma is missing between two items": "两个项目之间缺少逗号",
    "a colon is missing after a key": "键名后缺少冒号",
    "an invalid \\u escape (it needs four hexadecimal digits)": "无效的 \\u 转义（需要四位十六进制数字）",
    "an invalid escape after a backslash": "反斜杠后的转义无效",
    "a value is missing here (a text in double quotes, a number, true, false, null, a list or an object)":
        "此处缺少值（双引号文本、数字、true、false、null、列表或对象）",
    "more text after the end of the JSON value": "JSON 值结束后还有多余的内容",
    "a number has too many digits": "数字的位数过多",
    "a number is out of range": "数字超出范围",
    "NaN and Infinity are not JSON numbers": "NaN 和 Infinity 不是 JSON 数字",
}
