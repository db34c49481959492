"""Designer words shared by every tab: the session ending while editing, the expression parser's
messages (the same English as the server's, so the live check and the draft's problems read alike)
and where a problem is ("Customer › Phone"). Keys: `session.`, `exprmsg.`, `where.`."""
from engine.i18n import lazy

TEXTS = {
    "session.expired": lazy("Your login has expired: log in again in a new tab, then click Retry. "
                            "Your edits stay in this page."),
    "session.login": lazy("Log in (new tab)"),
    "session.retry": lazy("Retry"),
}
