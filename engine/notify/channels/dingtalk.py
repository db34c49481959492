"""钉钉 (DingTalk) custom robots: a markdown message per notification, signed when the
robot has a secret (加签), @-ing the user by userId or mobile number. Routing and sending:
engine.notify.robots.

POST https://oapi.dingtalk.com/robot/send?access_token=T[&timestamp=MS&sign=S], where MS
is the time in milliseconds and S = urlencode(base64(HMAC-SHA256(secret, "MS\\nsecret"))),
with {"msgtype": "markdown", "markdown": {"title", "text"}, "at": {"atUserIds", "atMobiles",
"isAtAll": false}} (the @ also written in the text, as DingTalk requires); answered
{"errcode": 0, "errmsg": "ok"}, any other errcode is a failure.
"""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from engine.i18n import N_
from engine.notify.channel import Message, register
from engine.notify.robots import Robot, RobotChannel, Words, clip, now, signature

MOBILE = re.compile(r"^(\+\d{1,4}-)?1\d{10}$|^\+\d{1,4}-\d{5,15}$")
MAX_TEXT = 5000  # bytes
MAX_TITLE = 100  # characters


def signed_url(robot: Robot) -> str:
    """The robot's URL, with `timestamp` and `sign` when it has a secret."""
    if not robot.secret:
        return robot.url
    timestamp = str(round(now() * 1000))
    query = urlencode({"timestamp": timestamp, "sign": signature(robot.secret, f"{timestamp}\n{robot.secret}")})
    return robot.url + ("&" if "?" in robot.url else "?") + query


@register
class DingTalk(RobotChannel):
    name = "dingtalk"
    address = N_("DingTalk userId, mobile or robot URL")
    settings = ("ENGINE_DINGTALK_ROBOTS",)
    robots_setting = "ENGINE_DINGTALK_ROBOTS"
    hosts = ("oapi.dingtalk.com",)
    user_ids = re.compile(r"^(\+\d{1,4}-\d{5,15}|[A-Za-z0-9_$.-]{1,64})$")
    id_rule = N_("a DingTalk userId (letters, digits, _ $ . and -, at most 64), a mobile number or the URL of "
                 "a DingTalk robot")

    def request(self, robot: Robot, mention: str | None, message: Message, words: Words
                ) -> tuple[str, dict[str, Any]]:
        blocks = [f"#### {words.text}"]
        if words.lines:
            blocks.append("\n".join(f"- {line}" for line in words.lines))
        if message.url:
            blocks.append(f"[{words.link}]({message.url})")
        tail = f"\n\n@{mention}" if mention else ""
        at: dict[str, Any] = {"atUserIds": [], "atMobiles": [], "isAtAll": False}
        if mention:
            at["atMobiles" if MOBILE.match(mention) else "atUserIds"].append(mention)
        text = clip("\n\n".join(blocks), MAX_TEXT - len(tail.encode())) + tail
        return signed_url(robot), {"msgtype": "markdown",
                                   "markdown": {"title": words.text[:MAX_TITLE], "text": text}, "at": at}
