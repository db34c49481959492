"""Chinese for the designer's drafts, publications, versions and the files ↔ database rule (issue 12)."""
ZH = {
    "a module file's name ends with .json and names no folder": "模块文件名须以 .json 结尾，且不能包含目录",
    "a module file holds one JSON object": "模块文件的内容须为一个 JSON 对象",
    "the draft's base is not a known version of the definitions": "草稿所基于的版本不是已知的配置版本",
    "the live definitions changed since your draft was started (version %(version)s by %(by)s): review their "
    "changes, then rebase your draft":
        "开始编辑草稿后，生效中的配置已被修改（版本 %(version)s，发布人 %(by)s）：请先查看对方的改动，再将草稿合并到最新版本",
    "the files": "配置文件",
    "the definitions have problems; nothing was published": "配置有问题，未发布任何内容",
    "the change would lose stored data; nothing was published": "该修改会丢失已保存的数据，未发布任何内容",
    "changed both in your draft and in the live definitions; your draft's version was kept":
        "草稿和生效中的配置都修改了此处，已保留草稿中的内容",
    "the files in %(folder)s changed while the live definitions have changes made in the designer (version "
    "%(version)s by %(by)s at %(at)s) that are not in the files: run `engine config export` to write the live "
    "set to the files and merge, or `engine config import` to replace the live set with the files":
        "%(folder)s 中的配置文件已被修改，而生效中的配置含有在设计器中所做、尚未写入文件的修改（版本 %(version)s，"
        "%(by)s 于 %(at)s 发布）：运行 `engine config export` 把生效的配置写入文件后再合并，"
        "或运行 `engine config import` 用文件替换生效的配置",
    "the live definitions changed while you edited (another admin published): reload the page and make your "
    "change again": "编辑期间生效的配置已被修改（另一位管理员发布了新版本）：请重新加载页面后再修改一次",
}
