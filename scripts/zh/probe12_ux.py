"""Chinese for the fixes of the issue #12 probe's usability findings (session, expression messages,
where a problem is, duplicate labels, version numbers)."""
ZH = {
    "Your login has expired: log in again in a new tab, then click Retry. Your edits stay in this page.":
        "登录已过期：请在新标签页中重新登录，然后点击重试。您的修改仍保留在本页中。",
    "Log in (new tab)": "登录（新标签页）",
    "Retry": "重试",
}
