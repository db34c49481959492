"""Chinese for `update_linked` `transition` (a saved record fires a transition of its linked record)."""
ZH = {
    "form '%(form)s' has no transition '%(name)s'": "表单“%(form)s”没有流转“%(name)s”",
    "a linked update needs set, transition or both": "关联更新需要 set、transition 或两者",
    "'%(action)s' of the linked record failed: %(problems)s": "关联记录的“%(action)s”未能执行：%(problems)s",
}
