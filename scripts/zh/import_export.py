"""Chinese for the import/export and create-rule messages (issue 10: 4, 6, 14, 18, 19, 28)."""
ZH = {
    "the first row has %(n)s columns; at most %(max)s are read": "第一行有 %(n)s 列，最多读取 %(max)s 列",
    "more than %(n)s rows with content (row %(row)s); split the file":
        "有内容的行超过 %(n)s 行（第 %(row)s 行），请拆分文件",
    "more than %(n)s lines, blank or not; split the file": "超过 %(n)s 行（含空行），请拆分文件",
    "more than %(n)s cells (row %(row)s); split the file": "单元格超过 %(n)s 个（第 %(row)s 行），请拆分文件",
    "%(name)s holds more than %(mb)s MB once unpacked; split the file":
        "%(name)s 解压后超过 %(mb)s MB，请拆分文件",
    "the CSV file cannot be read at line %(line)s: %(error)s": "CSV 文件第 %(line)s 行无法读取：%(error)s",
    "you may only create records you could then edit; %(field)s must be you":
        "只能新建自己之后可以编辑的记录：%(field)s 必须是你本人",
    "you may not create a record you could not then edit (check the fields your role is limited by)":
        "不能新建自己之后无法编辑的记录（请检查你的角色受限的字段）",
    "the same value as row %(row)s": "与第 %(row)s 行的值相同",
    "several users are called %(name)s; use the user name": "有多个用户叫 %(name)s，请填写用户名",
    "a unique value was taken by another record while the file was checked; nothing was imported, try again":
        "检查文件期间，某个唯一值已被其他记录占用；未导入任何数据，请重试",
}
