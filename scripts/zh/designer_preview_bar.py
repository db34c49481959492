"""Chinese for the designer's preview controls (issue 12)."""
ZH = {
    "Preview as": "预览角色",
    "Preview form": "预览表单",
    "Preview list": "预览列表",
    "Opens the form as this role will see it with your draft, in a new tab; nothing is saved there.":
        "在新标签页中按此角色查看草稿中的表单；在那里不会保存任何内容。",
}
