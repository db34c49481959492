"""Chat robots: the group robots of 企业微信 (WeCom), 钉钉 (DingTalk) and 飞书 (Feishu), one
channel each (channels/wecom.py, dingtalk.py, feishu.py) on the `RobotChannel` kept here.

Routing. A setting per platform (ENGINE_WECOM_ROBOTS, ENGINE_DINGTALK_ROBOTS,
ENGINE_FEISHU_ROBOTS) is a JSON object mapping a role name, or `*` for everybody, to a robot:
its webhook URL, or {"url": ..., "secret": ...} with the signature secret (钉钉 加签, 飞书
签名校验) and, optionally, `"details": true`. A user's notification goes to the robots of
the user's roles and of `*`, each robot once (keys with the same URL are one robot). The
user's address on the channel is either their ID on the platform, and then every message to
those robots @s them, or the URL of a robot of their own on the platform's host, and then the
notification goes there instead of to the role robots.

A delivery's target names a configured robot by its key (`sales`, `*`), never by its URL
(a robot URL is a credential: delivery lines and incidents print targets), followed by
` @ID` when the message @s the user; a user's own robot is its URL.

What a robot is told. A role robot or `*` posts into a group whose members may not read the
record: it gets only the notification kind's wording (`BRIEF`: 待审批, 已通过 …), the @ and
the link, never the record's title, the comment or its summary; the full text and summary go
only to a user's own robot and to a robot configured with `"details": true` (a group where
everyone may read everything the notifications are about).

Sending. One POST of JSON per delivery; an answer that is not 2xx, is not a JSON object or
carries the platform's error code is a failure (retried, reported after the last try, as
for every channel).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
import time
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar
from urllib.parse import urlsplit

from engine.errors import RobotSettingError
from engine.i18n import N_, _, speaking

from .channel import MAX_ADDRESS, AddressError, Channel, DeliveryFailed, Message, post_json

log = logging.getLogger(__name__)

#: Longest robot URL: a target is a key or a URL, then " @" and an ID of at most 64 characters.
MAX_URL = 180
EVERYONE = "*"
ROLE_KEY = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
ROBOT_KEYS = {"url", "secret", "details"}
MENTION = " @"


@dataclass(frozen=True)
class Robot:
    url: str
    secret: str | None = None
    #: Whether the robot is told the notification's full text and the record's summary (a
    #: user's own robot, or a group robot configured with "details": true).
    details: bool = False


def parse_robots(name: str, raw: Any, signed: bool = True) -> dict[str, Robot]:
    """The setting `name` (JSON text, or the object itself) as {key: Robot}; RobotSettingError
    listing every problem. `signed`: the platform's robots may have a signature secret."""
    if raw in (None, ""):
        return {}
    value = raw
    if isinstance(raw, str):
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise RobotSettingError(f"{name}: not JSON ({exc.msg} at character {exc.pos})") from None
    if not isinstance(value, dict):
        raise RobotSettingError(f'{name}: must be a JSON object mapping a role name or "*" to a robot '
                                f'("https://..." or {{"url": "https://...", "secret": "..."}})')
    robots: dict[str, Robot] = {}
    problems: list[str] = []
    for key, robot in value.items():
        where = f"{name}: {key!r}"
        if key != EVERYONE and not ROLE_KEY.match(key):
            problems.append(f'{where}: not a role name (lowercase letters, digits, _) or "*"')
            continue
        secret, details = None, False
        if isinstance(robot, dict):
            unknown = sorted(set(robot) - ROBOT_KEYS)
            if unknown:
                problems.append(f"{where}: unknown key(s) {', '.join(unknown)} (a robot has url, secret and details)")
                continue
            url, secret, details = robot.get("url"), robot.get("secret"), robot.get("details", False)
            if not isinstance(details, bool):
                problems.append(f"{where}: details must be true or false")
                continue
            if secret is not None and not signed:
                problems.append(f"{where}: these robots have no signature secret")
                continue
            if secret is not None and (not isinstance(secret, str) or not secret.strip()):
                problems.append(f"{where}: secret must be a non-empty text")
                continue
        elif isinstance(robot, str):
            url = robot
        else:
            problems.append(f'{where}: a robot is "https://..." or {{"url": ..., "secret": ...}}')
            continue
        problem = url_problem(url)
        if problem:
            problems.append(f"{where}: {problem}")
            continue
        robots[key] = Robot(str(url).strip(), secret.strip() if secret else None, details)
    if problems:
        raise RobotSettingError("; ".join(problems))
    return robots


def url_problem(url: Any) -> str | None:
    """Why `url` cannot be a robot's URL, or None."""
    if not isinstance(url, str) or not url.strip():
        return "url is missing"
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url.strip()):
        return f"not an http(s) URL: {url!r}"
    if len(url.strip()) > MAX_URL:
        return f"URL longer than {MAX_URL} characters"
    return None


def is_url(address: str) -> bool:
    return address.startswith(("https://", "http://"))


def now() -> float:
    """Seconds since the epoch, for the signatures' timestamps."""
    return time.time()


def signature(key: str, text: str) -> str:
    """base64(HMAC-SHA256(key, text)), the signature both 钉钉 and 飞书 ask for."""
    return base64.b64encode(hmac.new(key.encode(), text.encode(), hashlib.sha256).digest()).decode()


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-8 bytes (whole characters), with … when cut."""
    data = text.encode()
    if len(data) <= limit:
        return text
    return data[:limit - 3].decode(errors="ignore") + "…"


def post(url: str, payload: dict[str, Any]) -> dict[str, Any]:
    """POST `payload` as JSON; the answer's JSON object. OSError or DeliveryFailed when not 2xx
    or not JSON."""
    text = post_json(url, payload)
    try:
        answer = json.loads(text)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise DeliveryFailed(f"the answer is not a JSON object: {text[:200]!r}")
    return answer


class RobotChannel(Channel):
    """A platform's group robots (not registered itself: each platform's module registers its
    subclass with `robots_setting`, `hosts`, `user_ids` and `request`)."""

    #: The setting mapping roles to robots.
    robots_setting: ClassVar[str]
    #: Where a user's own robot may be (its URL's host).
    hosts: ClassVar[tuple[str, ...]]
    #: What a user's ID on the platform looks like.
    user_ids: ClassVar[re.Pattern[str]]
    #: What an address is (a msgid), said when one is refused.
    id_rule: ClassVar[str]
    #: Whether the platform's robots may have a signature secret.
    signed: ClassVar[bool] = True
    #: The error code of the platform's answer (0: delivered).
    error_code: ClassVar[str] = "errcode"
    error_message: ClassVar[str] = "errmsg"

    @cached_property
    def robots(self) -> dict[str, Robot]:
        return parse_robots(self.robots_setting, self.setting(self.robots_setting), self.signed)

    def problems(self) -> list[str]:
        try:
            _ = self.robots
        except RobotSettingError as exc:
            return [str(exc)]
        return []

    @property
    def ready(self) -> bool:
        """Always, unless the setting is bad: a user may have a robot of their own."""
        return not self.problems()

    @property
    def offered(self) -> bool:
        """When the platform's setting is there (`{}` too: people bring robots of their own)."""
        return self.setting(self.robots_setting) is not None and self.ready

    @classmethod
    def check_address(cls, address: str) -> str:
        address = address.strip()
        if is_url(address):
            parts = urlsplit(address)
            if parts.scheme != "https" or parts.hostname not in cls.hosts or url_problem(address) \
                    or len(address) > MAX_ADDRESS:
                start = "https://" + cls.hosts[0] + "/"
                raise AddressError(_("a robot's address must start with %(start)s", start=start))
            return address
        if not cls.user_ids.match(address):
            raise AddressError(_(cls.id_rule))
        return address

    def targets(self, address: str | None, roles: frozenset[str] = frozenset()) -> list[str]:
        if address and is_url(address):
            return [address]  # the user's own robot
        try:
            robots = self.robots
        except RobotSettingError as exc:  # refused at start; never fail a whole planning batch
            log.error("%s", exc)
            return []
        out, seen = [], set()
        for key in sorted(robots):  # "*" first
            if (key == EVERYONE or key in roles) and robots[key].url not in seen:
                seen.add(robots[key].url)
                out.append(key + (MENTION + address if address else ""))
        return out

    def robot(self, target: str) -> tuple[Robot, str | None]:
        """The robot a target names and the ID to @ (None: nobody). A user's own robot is told
        the details, unless its URL is a configured robot's: then that robot's setting holds."""
        key, _sep, mention = target.partition(MENTION)
        robots = self.robots
        if is_url(key):
            configured = next((r for r in robots.values() if r.url == key), None)
            return configured or Robot(key, None, details=True), mention or None
        if key not in robots:
            raise DeliveryFailed(f"no robot '{key}' in {self.robots_setting}")
        return robots[key], mention or None

    def send(self, message: Message) -> None:
        robot, mention = self.robot(message.target)
        with speaking(message.language):
            url, payload = self.request(robot, mention, message, Words.of(message, robot.details))
        answer = post(url, payload)
        code = answer.get(self.error_code, answer.get("StatusCode"))
        if code not in (0, None) or (code is None and self.error_code not in answer):
            raise DeliveryFailed(f"{self.name} {self.error_code} {code}: "
                                 f"{answer.get(self.error_message, answer.get('StatusMessage', ''))}"[:300])

    def request(self, robot: Robot, mention: str | None, message: Message, words: Words
                ) -> tuple[str, dict[str, Any]]:
        """The URL to POST to and the JSON body for one message to `robot`, @-ing `mention`."""
        raise NotImplementedError


@dataclass(frozen=True)
class Words:
    """What a robot's message says, in the recipient's language: its text (the notification's,
    or only its kind's wording, `BRIEF`, for a robot not told the details), the record's summary
    as `label: text` lines (none without the details) and the link's label."""

    text: str
    lines: tuple[str, ...]
    link: str

    @classmethod
    def of(cls, message: Message, details: bool = True) -> Words:
        if details:
            return cls(message.text, tuple(message.summary_lines()), _(LINK))
        return cls(_(BRIEF.get(message.kind, NOTIFIED)), (), _(LINK))


LINK = N_("Open the record")
#: kind → what a group robot says of a notification: nothing about the record itself.
BRIEF = {
    "task": N_("An approval is waiting for you"),
    "handed_on": N_("A task was handed on to you"),
    "cc": N_("A record was copied to you"),
    "approved": N_("A record of yours was approved"),
    "rejected": N_("A record of yours was rejected"),
    "sent_back": N_("A record was sent back to you"),
    "due_soon": N_("A record is due soon"),
    "overdue": N_("A record is overdue"),
    "escalation": N_("A record is overdue, please follow up"),
    "reminder": N_("A reminder about a record"),
    "mention": N_("You were mentioned in a comment"),
}
NOTIFIED = N_("You have a new notification")
