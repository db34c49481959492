"""飞书 (Feishu / Lark) custom bots: a message card per notification (the text as its title,
the record's summary, a button to the record), signed when the bot has a secret (签名校验),
@-ing the user by open_id. Routing and sending: engine.notify.robots.

POST https://open.feishu.cn/open-apis/bot/v2/hook/ID with {"timestamp": "S", "sign": SIGN,
"msg_type": "interactive", "card": {...}}, where S is the time in seconds and SIGN =
base64(HMAC-SHA256(key "S\\nsecret", empty message)) (both only with a secret); answered
{"code": 0, ...}, any other code is a failure.
"""
from __future__ import annotations

import re
from typing import Any

from engine.i18n import N_
from engine.notify.channel import Message, register
from engine.notify.robots import Robot, RobotChannel, Words, clip, now, signature

MAX_TITLE = 100  # characters of the card's title
MAX_TEXT = 8000  # bytes of the card's text


def plain(text: str) -> str:
    """Text a user wrote, unable to @ anybody by itself."""
    return text.replace("<at", "< at")


@register
class Feishu(RobotChannel):
    name = "feishu"
    address = N_("Feishu open_id or bot URL")
    settings = ("ENGINE_FEISHU_ROBOTS",)
    robots_setting = "ENGINE_FEISHU_ROBOTS"
    hosts = ("open.feishu.cn", "open.larksuite.com")
    user_ids = re.compile(r"^ou_[0-9A-Za-z]{8,64}$")
    id_rule = N_("a Feishu open_id (ou_ then letters and digits) or the URL of a Feishu bot")
    error_code = "code"
    error_message = "msg"

    def request(self, robot: Robot, mention: str | None, message: Message, words: Words
                ) -> tuple[str, dict[str, Any]]:
        title = words.text if len(words.text) <= MAX_TITLE else words.text[:MAX_TITLE - 1] + "…"
        lines = [plain(words.text)] if title != words.text else []
        lines += [plain(line) for line in words.lines]
        at = f"<at id={mention}></at>" if mention else ""
        content = clip("\n".join(lines), MAX_TEXT - len(at) - 1) if lines else ""
        content += ("\n" if content and at else "") + at
        elements: list[dict[str, Any]] = []
        if content:
            elements.append({"tag": "div", "text": {"tag": "lark_md", "content": content}})
        if message.url:
            elements.append({"tag": "action", "actions": [{
                "tag": "button", "text": {"tag": "plain_text", "content": words.link}, "type": "primary",
                "url": message.url}]})
        body: dict[str, Any] = {}
        if robot.secret:
            timestamp = str(int(now()))
            body = {"timestamp": timestamp, "sign": signature(f"{timestamp}\n{robot.secret}", "")}
        body.update({"msg_type": "interactive", "card": {
            "config": {"wide_screen_mode": True},
            "header": {"title": {"tag": "plain_text", "content": title}, "template": "blue"},
            "elements": elements}})
        return robot.url, body
