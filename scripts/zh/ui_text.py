"""Chinese for the page scripts' words, refusals, login and definition problems (issue 10: 20, 24, 26)."""
ZH = {
    "No results found": "没有找到匹配的记录",
    "Loading more results…": "正在加载更多…",
    "No more results": "没有更多了",
    "The file is larger than {size} KB": "文件超过 {size} KB",
    "Allowed file types: {types}": "允许的文件类型：{types}",
    "Version": "版本",
    "%(table)s, row %(row)s, %(column)s": "%(table)s第 %(row)s 行%(column)s",
    "Not done. Please check: %(detail)s": "未完成，请检查：%(detail)s",
    "Please log in to access this page.": "请先登录。",
}
