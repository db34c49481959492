"""Chinese for sign-in throttling, API tokens and account pages (issue 10: 3, 5, 10, 11)."""
ZH = {
    "Too many failed tries; try again in %(seconds)s seconds.": "失败次数过多，请 %(seconds)s 秒后再试。",
    "Too many failed tries. Try again in %(minutes)s minutes.": "登录失败次数过多，请 %(minutes)s 分钟后再试。",
    "Name": "名称",
    "Expires": "有效期",
    "in 7 days": "7 天",
    "in 30 days": "30 天",
    "in 90 days": "90 天",
    "in a year": "1 年",
    "never": "永不过期",
    "Token revoked.": "令牌已吊销。",
    "My API tokens": "我的 API 令牌",
    "A program calling the API with a token acts as you. Name each token after the program that holds it, "
    "and revoke it when that program no longer needs it. Changing your password revokes every token.":
        "程序使用令牌调用 API 时，以你的身份操作。请按使用它的程序为每个令牌命名，"
        "不再需要时将其吊销。修改密码会吊销所有令牌。",
    "API tokens": "API 令牌",
    "Setting a new password or deactivating the user revokes every token.": "设置新密码或停用该用户会吊销其所有令牌。",
    "Created": "创建时间",
    "Last used": "最近使用",
    "Expired": "已过期",
    "Revoked": "已吊销",
    "Revoke": "吊销",
    "Revoke this token? Programs using it stop working.": "吊销此令牌？使用它的程序将无法再访问。",
    "No API tokens.": "没有 API 令牌。",
    "Issue API token": "生成 API 令牌",
    "Copy it now: it is shown only once.": "请立即复制：它只显示这一次。",
    "API token": "API 令牌",
    "API token for %(name)s": "%(name)s 的 API 令牌",
    "Back": "返回",
}
