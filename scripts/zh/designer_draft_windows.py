"""Chinese for a draft changed in another window of the same admin (issue 12)."""
ZH = {
    "Reload the designer": "重新载入设计器",
    "your draft was changed in another window (saved, published or discarded there); reload the designer to "
    "continue from it": "您的草稿已在另一个窗口中被修改（保存、发布或放弃）；请重新载入设计器，从那里的草稿继续",
    "`draft_updated_at` must be the draft's updated_at or null": "`draft_updated_at` 必须是草稿的 updated_at 或 null",
}
