"""Chinese for notification channels and per-user channel addresses (issue 11, point 2)."""
ZH = {
    "My notification addresses": "我的通知地址",
    "Every notification reaches you in the app. It is also sent to each address below that a channel "
    "needs; your email address is kept by an administrator.":
        "每条通知都会出现在系统内；需要地址的通知渠道还会把通知发到下面的地址。邮箱地址由管理员维护。",
    "Addresses saved.": "地址已保存。",
    "at most %(max)s characters": "最多 %(max)s 个字符",
    # each user's language (users.language)
    "Language": "语言",
    "The product's default (%(language)s)": "系统默认（%(language)s）",
    "Notifications, email and the pages after signing in speak it.": "通知、邮件以及登录后的页面都使用该语言。",
    "must be one of %(choices)s": "必须是以下之一：%(choices)s",
}
