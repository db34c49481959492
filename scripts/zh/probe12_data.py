"""Chinese for the data-safety fixes of the issue 12 probe (renames consumed once, restore reverses
renames, review and restore texts)."""
ZH = {
    "this form is marked as renamed from '%(old)s', but a form '%(old)s' exists again: remove \"renamed_from\" "
    "(the rename is done) or give one of them another name":
        "此表单标记为由“%(old)s”改名而来，但名为“%(old)s”的表单又出现了：请去掉“原名称”（renamed_from，改名已完成），"
        "或给其中一个换个名称",
    "this field is marked as renamed from '%(old)s', but a field '%(old)s' exists again: remove \"renamed_from\" "
    "(the rename is done) or give one of them another name":
        "此字段标记为由“%(old)s”改名而来，但名为“%(old)s”的字段又出现了：请去掉“原名称”（renamed_from，改名已完成），"
        "或给其中一个换个名称",
    "this stage is marked as renamed from '%(old)s', but a stage '%(old)s' exists again: remove \"renamed_from\" "
    "(the rename is done) or give one of them another name":
        "此阶段标记为由“%(old)s”改名而来，但名为“%(old)s”的阶段又出现了：请去掉“原名称”（renamed_from，改名已完成），"
        "或给其中一个换个名称",
    "invalid expression %(source)s: '%(name)s' is not a stage of this form":
        "表达式 %(source)s 无效：“%(name)s”不是此表单的阶段",
    "%(form)s: field %(field)s comes back with its %(count)s stored values (kept in the database since the "
    "field was removed)":
        "%(form)s：字段 %(field)s 重新出现，带回数据库中保留的 %(count)s 个值（自该字段被移除起一直保留）",
    "What the change does to the stored data is shown once the problems are fixed.":
        "问题解决后，这里会显示本次修改对已存数据的影响。",
    "the live definitions changed since you opened the versions (version %(version)s by %(by)s): nothing was "
    "restored; review their changes, then restore again":
        "打开版本列表后，生效的配置已被修改（版本 %(version)s，由 %(by)s 发布）：没有恢复任何内容；"
        "请先查看这些修改，再重新恢复",
    "the page did not say which version of the definitions it was opened on, so nothing was saved: reload the "
    "page and make your change again":
        "页面没有说明是在哪个配置版本上打开的，因此没有保存：请重新加载页面后再修改一次",
}
ZH.update({
    "Restore version #{publication}": "恢复版本 #{publication}",
    "{count} problem(s) in this version with today's definitions: it cannot be restored as it is.":
        "此版本按当前的配置有 {count} 个问题：不能原样恢复。",
})
