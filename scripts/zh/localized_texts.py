"""Chinese for texts in two languages in definitions (engine.i18n LocalText): the schema's
problems and the pages that name a language."""
ZH = {
    'a text in two languages needs its Chinese text, "zh-CN" ("en" is optional)':
        '双语文本必须有中文 "zh-CN"（"en" 可省略）',
    '%(value)s is not a text: give a string or {"zh-CN": "…", "en": "…"}':
        '%(value)s 不是文本：请写字符串或 {"zh-CN": "…", "en": "…"}',
}
