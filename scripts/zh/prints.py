"""Chinese for print layouts (打印模板): the print page, the PDF, the menus and the definition checks."""
ZH = {
    "Print": "打印",
    "Download PDF": "下载 PDF",
    "Back to the record": "返回记录",
    "PDF": "PDF",
    "No.": "序号",
    "Total": "合计",
    "Amount in words": "大写金额",
    "More records exist than are printed here.": "记录较多，此处未全部打印。",
    "Select all": "全选",
    "Select": "选择",
    "Stage": "阶段",
    "Version": "版本",
    "Created by": "创建人",
    "Created at": "创建时间",
    "Updated at": "更新时间",
    "Due": "到期时间",
    "no print layout '%(name)s'": "没有打印模板“%(name)s”",
    "you may not print '%(name)s'": "你无权使用打印模板“%(name)s”",
    "ids must be record ids separated by commas, e.g. 1,2,3": "ids 须为以逗号分隔的记录编号，例如 1,2,3",
    "at most %(count)s records can be printed at once": "一次最多打印 %(count)s 条记录",
    "PDF output is not available on this server: %(reason)s. Install WeasyPrint (pip install weasyprint) and the "
    "system libraries libpango-1.0-0, libpangoft2-1.0-0 and fonts-noto-cjk (scripts/ensure-print.sh does it), "
    "then restart.": "本服务器无法生成 PDF：%(reason)s。请安装 WeasyPrint（pip install weasyprint）及系统库 "
    "libpango-1.0-0、libpangoft2-1.0-0 和 fonts-noto-cjk（可运行 scripts/ensure-print.sh），然后重启。",
    "duplicate print layout '%(name)s'": "打印模板名称“%(name)s”重复",
    "unknown field '{%(name)s}' in the text": "文本中的 {%(name)s} 不是已知字段",
    "'%(name)s' is a table: print it with a 'table' block": "“%(name)s”是子表，请用 table 区块打印",
    "'%(name)s' must be a table field of this form": "“%(name)s”必须是本表单的子表字段",
    "'%(name)s' must be a number field of this form": "“%(name)s”必须是本表单的数字字段",
    "a table field cannot be a column": "子表字段不能作为列",
    "'%(name)s' is not one of the printed columns": "“%(name)s”不是打印的列之一",
    "'%(name)s' must be a number column": "“%(name)s”必须是数字列",
    "'%(link)s' must be a link field of '%(form)s' to '%(target)s' (or a path of two link fields ending at "
    "'%(target)s')": "“%(link)s”必须是表单“%(form)s”指向“%(target)s”的关联字段（或以“%(target)s”结尾的两级关联路径）",
}
