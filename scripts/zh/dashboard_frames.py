"""Chinese for the dashboard's chart frames (engine/ui/templates/workflow/dashboard.html, js/charts.js):
a chart whose figures could not be fetched, the page computed on the server, a bad `charts` parameter."""
ZH = {
    "This chart could not be loaded.": "此图表未能加载。",
    "Show every chart computed on the server": "显示由服务器计算的全部图表",
    "parameter '%(param)s' must be a list of numbers": "参数“%(param)s”必须是以逗号分隔的数字",
    "no such chart": "没有这个图表",
}
