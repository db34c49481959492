"""企业微信 (WeCom) group robots: a markdown message per notification, @-ing the user by
their WeCom userid (`<@userid>`). Routing and sending: engine.notify.robots.

POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY with
{"msgtype": "markdown", "markdown": {"content": "..."}} (at most 4096 bytes); answered
{"errcode": 0, "errmsg": "ok"}, any other errcode is a failure.
"""
from __future__ import annotations

import re
from typing import Any

from engine.i18n import N_
from engine.notify.channel import Message, register
from engine.notify.robots import Robot, RobotChannel, Words, clip

MAX_CONTENT = 4096  # bytes


def plain(text: str) -> str:
    """Text a user wrote, unable to @ anybody by itself."""
    return text.replace("<@", "< @")


@register
class WeCom(RobotChannel):
    name = "wecom"
    address = N_("WeCom userid or robot URL")
    settings = ("ENGINE_WECOM_ROBOTS",)
    robots_setting = "ENGINE_WECOM_ROBOTS"
    signed = False  # a WeCom robot's key is its only credential
    hosts = ("qyapi.weixin.qq.com",)
    user_ids = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
    id_rule = N_("a WeCom userid (letters, digits, _ - @ and ., at most 64) or the URL of a WeCom robot")

    def request(self, robot: Robot, mention: str | None, message: Message, words: Words
                ) -> tuple[str, dict[str, Any]]:
        lines = [f"**{plain(words.text)}**"]
        lines += [f"> {plain(line)}" for line in words.lines]
        if message.url:
            lines.append(f"[{words.link}]({message.url})")
        tail = f"\n<@{mention}>" if mention else ""
        content = clip("\n".join(lines), MAX_CONTENT - len(tail.encode())) + tail
        return robot.url, {"msgtype": "markdown", "markdown": {"content": content}}
