"""Chinese for role renames (`renamed_from` on a role moves its users) and the refusal to remove a
role users still hold (issue 12)."""
ZH = {
    # definition checks
    "'%(name)s' is still a role; a role can only be renamed from a name that is no longer one":
        "“%(name)s”仍是一个角色；只能从已不再使用的角色名改名",
    "roles '%(name)s' and '%(other)s' are both renamed from '%(old)s'; only one can be":
        "角色“%(name)s”和“%(other)s”都写了由“%(old)s”改名；只能有一个",
    # schema plan refusal (engine/store/sync.py)
    "role '%(role)s' is held by %(n)s users and cannot be removed (rename it with \"renamed_from\": \"%(role)s\" on "
    "the new role, or give the users other roles first)":
        "角色“%(role)s”仍有 %(n)s 位用户拥有，不能删除（改名请在新角色上写 \"renamed_from\": \"%(role)s\"，"
        "或先给这些用户分配其他角色）",
    # review: change list and effects on the data
    "renamed role %(old)s → %(new)s": "角色改名 %(old)s → %(new)s",
    "renames role %(old)s → %(role)s (%(count)s users moved)":
        "角色改名 %(old)s → %(role)s（%(count)s 位用户随之改名）",
    "refused: removing role %(role)s while %(count)s users hold it (rename it, so that they move with it, or give "
    "them other roles first)":
        "已拒绝：仍有 %(count)s 位用户拥有角色 %(role)s，不能删除"
        "（请改名，用户会随之改名；或先给这些用户分配其他角色）",
    # designer: roles panel
    "Role {name} is used in {count} places ({files}). Renaming changes all of them.":
        "角色 {name} 在 {count} 处使用（{files}）。改名会同时修改这些地方。",
    "Users who hold role {name} get the new name when the change is published, and keep their access.":
        "拥有角色 {name} 的用户会在发布时随之改用新名称，权限不变。",
    "Renamed from {name}: its users move to this name when published.": "由 {name} 改名：发布时其用户随之改用此名称。",
    "Publishing is refused while users hold this role: rename it instead (they move with it), or give them other "
    "roles first.":
        "仍有用户拥有此角色时，发布会被拒绝：请改为给角色改名（用户随之改名），或先给这些用户分配其他角色。",
}
