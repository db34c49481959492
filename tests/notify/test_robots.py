"""The chat robots (企业微信, 钉钉, 飞书) against local HTTP servers standing in for the
platforms: each checks the exact URL, query, signature (computed here independently, at a
frozen time) and JSON body the vendor documents; the platforms' error codes are failures,
retried and reported like any channel's; routing by role and by the user's own robot."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote_plus, urlsplit

import pytest
import time_machine
from sqlalchemy import insert

from engine.errors import ValidationFailed
from engine.notify import delivery
from engine.notify.addresses import addresses_of, set_addresses
from engine.notify.channel import Message, registered
from engine.notify.outbox import notify
from engine.store.system import deliveries, incidents, notifications, user_addresses

#: The frozen moment every signature is made at (and checked against).
SIGNED_AT = datetime(2026, 3, 2, 1, 0, 0, tzinfo=UTC)
MS = str(int(SIGNED_AT.timestamp()) * 1000)
SECONDS = str(int(SIGNED_AT.timestamp()))
OPEN_ID = "ou_7d8a6e6df7621556ce0d21922b676706"
SUMMARY = ({"field": "customer", "label": "客户", "text": "华东机电"},
           {"field": "amount", "label": "金额", "text": "12,000.00"})


class Platform:
    """A stand-in for a chat platform's webhook endpoint: records every request and answers
    with the queued answers (then the last one again)."""

    def __init__(self, *answers: dict[str, Any]) -> None:
        self.answers = list(answers) or [{"errcode": 0, "errmsg": "ok"}]
        self.requests: list[dict[str, Any]] = []
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                parts = urlsplit(self.path)
                platform.requests.append({"path": parts.path, "raw_query": parts.query,
                                          "query": parse_qs(parts.query), "headers": dict(self.headers),
                                          "body": json.loads(body)})
                answer = platform.answers[min(len(platform.requests), len(platform.answers)) - 1]
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def bodies(self) -> list[dict[str, Any]]:
        return [r["body"] for r in self.requests]


@pytest.fixture
def platform():
    made: list[Platform] = []

    def make(*answers: dict[str, Any]) -> Platform:
        made.append(Platform(*answers))
        return made[-1]
    yield make
    for p in made:
        p.server.shutdown()
        p.server.server_close()


def _channel(name: str, settings: dict[str, Any]):
    return delivery.Channels.from_settings(settings).channels[name]


def _message(target: str, *, url: str | None = "https://erp.example.cn/f/order/7", language: str = "zh_CN",
             text: str = "待审批：订单 SO-0007（财务审核）", summary: tuple = SUMMARY,
             channel: str = "wecom", kind: str = "task") -> Message:
    return Message(event_id=41, channel=channel, target=target, user="al", kind=kind, text=text, params={},
                   form="order", record_id=7, url=url, created_at=SIGNED_AT, language=language, summary=summary)


def _sign(key: str, text: str) -> str:
    return base64.b64encode(hmac.new(key.encode(), text.encode(), hashlib.sha256).digest()).decode()


# -- 企业微信 ------------------------------------------------------------------------------

def test_wecom_posts_markdown_with_the_summary_the_link_and_the_at(platform):
    wecom = platform()
    url = f"{wecom.base}/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
    channel = _channel("wecom", {"ENGINE_WECOM_ROBOTS": json.dumps({"staff": {"url": url, "details": True}})})
    channel.send(_message("staff @zhangsan"))
    (request,) = wecom.requests
    assert request["path"] == "/cgi-bin/webhook/send"
    assert request["query"] == {"key": ["693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"]}
    assert request["headers"]["Content-Type"] == "application/json; charset=utf-8"
    assert request["body"] == {"msgtype": "markdown", "markdown": {"content": (
        "**待审批：订单 SO-0007（财务审核）**\n"
        "> 客户：华东机电\n"
        "> 金额：12,000.00\n"
        "[查看记录](https://erp.example.cn/f/order/7)\n"
        "<@zhangsan>")}}


def test_wecom_in_english_without_a_link_or_an_at_and_text_cannot_at_anybody(platform):
    wecom = platform()
    channel = _channel("wecom", {"ENGINE_WECOM_ROBOTS": json.dumps({"*": {"url": f"{wecom.base}/send?key=k",
                                                                          "details": True}})})
    channel.send(_message("*", url=None, language="en", text="Li mentioned you: <@boss> look", summary=(
        {"field": "customer", "label": "Customer", "text": "ACME"},)))
    assert wecom.bodies == [{"msgtype": "markdown", "markdown": {
        "content": "**Li mentioned you: < @boss> look**\n> Customer: ACME"}}]


def test_wecom_error_code_in_a_200_answer_is_a_failure(platform):
    wecom = platform({"errcode": 93000, "errmsg": "invalid webhook url"})
    channel = _channel("wecom", {"ENGINE_WECOM_ROBOTS": json.dumps({"*": f"{wecom.base}/send?key=k"})})
    with pytest.raises(Exception, match="errcode 93000: invalid webhook url"):
        channel.send(_message("*"))


# -- 钉钉 ----------------------------------------------------------------------------------

def test_dingtalk_signs_the_url_and_ats_a_user_id(platform):
    ding = platform()
    secret = "SEC10d6e79b42bd94be0d0d603843651aa2ccd7186db6edbc0d0d6038436"
    robot = f"{ding.base}/robot/send?access_token=e9a8118c8a3dc0f1"
    channel = _channel("dingtalk", {"ENGINE_DINGTALK_ROBOTS": json.dumps({"staff": {"url": robot,
                                                                                   "secret": secret,
                                                                                   "details": True}})})
    with time_machine.travel(SIGNED_AT, tick=False):
        channel.send(_message("staff @manager4220", channel="dingtalk"))
    (request,) = ding.requests
    expected = _sign(secret, f"{MS}\n{secret}")
    assert request["path"] == "/robot/send"
    assert request["query"] == {"access_token": ["e9a8118c8a3dc0f1"], "timestamp": [MS], "sign": [expected]}
    assert request["raw_query"] == f"access_token=e9a8118c8a3dc0f1&timestamp={MS}&sign={quote_plus(expected)}"
    assert request["body"] == {
        "msgtype": "markdown",
        "markdown": {"title": "待审批：订单 SO-0007（财务审核）", "text": (
            "#### 待审批：订单 SO-0007（财务审核）\n\n"
            "- 客户：华东机电\n- 金额：12,000.00\n\n"
            "[查看记录](https://erp.example.cn/f/order/7)\n\n"
            "@manager4220")},
        "at": {"atUserIds": ["manager4220"], "atMobiles": [], "isAtAll": False}}


def test_dingtalk_ats_a_mobile_number_and_goes_unsigned_without_a_secret(platform):
    ding = platform()
    channel = _channel("dingtalk", {"ENGINE_DINGTALK_ROBOTS": json.dumps(
        {"*": {"url": f"{ding.base}/robot/send?access_token=t", "details": True}})})
    channel.send(_message("* @13800000000", channel="dingtalk", summary=(), url=None))
    (request,) = ding.requests
    assert request["query"] == {"access_token": ["t"]}
    assert request["body"]["markdown"]["text"] == "#### 待审批：订单 SO-0007（财务审核）\n\n@13800000000"
    assert request["body"]["at"] == {"atUserIds": [], "atMobiles": ["13800000000"], "isAtAll": False}


def test_dingtalk_sign_mismatch_answer_is_a_failure(platform):
    ding = platform({"errcode": 310000, "errmsg": "sign not match"})
    channel = _channel("dingtalk", {"ENGINE_DINGTALK_ROBOTS": json.dumps({"*": {
        "url": f"{ding.base}/robot/send?access_token=t", "secret": "SECx"}})})
    with pytest.raises(Exception, match="errcode 310000: sign not match"):
        channel.send(_message("*", channel="dingtalk"))


# -- 飞书 ----------------------------------------------------------------------------------

def test_feishu_posts_a_signed_card_with_the_summary_the_at_and_a_button(platform):
    lark = platform({"code": 0, "msg": "success", "data": {}})
    secret = "qB6h3rTbGdUuQtYf0XnkXb"
    url = f"{lark.base}/open-apis/bot/v2/hook/2d1f8a6c-4f3e-4c0a-9f1e-7e5c2b1a0d9e"
    channel = _channel("feishu", {"ENGINE_FEISHU_ROBOTS": json.dumps({"staff": {"url": url, "secret": secret,
                                                                                 "details": True}})})
    with time_machine.travel(SIGNED_AT, tick=False):
        channel.send(_message(f"staff @{OPEN_ID}", channel="feishu"))
    (request,) = lark.requests
    assert request["path"] == "/open-apis/bot/v2/hook/2d1f8a6c-4f3e-4c0a-9f1e-7e5c2b1a0d9e"
    assert request["query"] == {}
    assert request["body"] == {
        "timestamp": SECONDS,
        "sign": _sign(f"{SECONDS}\n{secret}", ""),
        "msg_type": "interactive",
        "card": {
            "config": {"wide_screen_mode": True},
            "header": {"title": {"tag": "plain_text", "content": "待审批：订单 SO-0007（财务审核）"},
                       "template": "blue"},
            "elements": [
                {"tag": "div", "text": {"tag": "lark_md",
                                        "content": f"客户：华东机电\n金额：12,000.00\n<at id={OPEN_ID}></at>"}},
                {"tag": "action", "actions": [{
                    "tag": "button", "text": {"tag": "plain_text", "content": "查看记录"}, "type": "primary",
                    "url": "https://erp.example.cn/f/order/7"}]}]}}


def test_feishu_unsigned_in_english_and_its_error_code_is_a_failure(platform):
    lark = platform({"code": 19021, "msg": "sign match fail or timestamp is not within one hour from current time"})
    channel = _channel("feishu", {"ENGINE_FEISHU_ROBOTS": json.dumps({"*": {"url": f"{lark.base}/hook/x",
                                                                            "details": True}})})
    with pytest.raises(Exception, match="code 19021: sign match fail"):
        channel.send(_message("*", channel="feishu", language="en", summary=(), text="Approved: Order SO-0007"))
    (body,) = lark.bodies
    assert "timestamp" not in body and "sign" not in body
    assert body["card"]["header"]["title"]["content"] == "Approved: Order SO-0007"
    assert body["card"]["elements"] == [{"tag": "action", "actions": [{
        "tag": "button", "text": {"tag": "plain_text", "content": "Open the record"}, "type": "primary",
        "url": "https://erp.example.cn/f/order/7"}]}]


def test_an_answer_that_is_not_the_platforms_is_a_failure(platform):
    lark = platform({"unexpected": True})
    channel = _channel("feishu", {"ENGINE_FEISHU_ROBOTS": json.dumps({"*": f"{lark.base}/hook/x"})})
    with pytest.raises(Exception, match="feishu code None"):
        channel.send(_message("*", channel="feishu"))


# -- what a group is told ------------------------------------------------------------------

def test_group_robots_are_told_only_the_kind_the_at_and_the_link(platform):
    wecom, ding, lark = platform(), platform(), platform({"code": 0})
    _channel("wecom", {"ENGINE_WECOM_ROBOTS": json.dumps({"staff": f"{wecom.base}/send?key=k"})}).send(
        _message("staff @zhangsan"))
    _channel("dingtalk", {"ENGINE_DINGTALK_ROBOTS": json.dumps({"*": f"{ding.base}/robot/send?access_token=t"})}
             ).send(_message("* @manager4220", channel="dingtalk", kind="mention", language="en",
                             text="Li Lei mentioned you in Order SO-0007: the discount?"))
    _channel("feishu", {"ENGINE_FEISHU_ROBOTS": json.dumps({"staff": f"{lark.base}/hook/x"})}).send(
        _message(f"staff @{OPEN_ID}", channel="feishu", kind="custom_kind"))
    link = "https://erp.example.cn/f/order/7"
    assert wecom.bodies == [{"msgtype": "markdown", "markdown": {
        "content": f"**有一条待你审批的记录**\n[查看记录]({link})\n<@zhangsan>"}}]
    assert ding.bodies[0]["markdown"] == {
        "title": "You were mentioned in a comment",
        "text": f"#### You were mentioned in a comment\n\n[Open the record]({link})\n\n@manager4220"}
    card = lark.bodies[0]["card"]
    assert card["header"]["title"]["content"] == "你有一条新通知"
    assert card["elements"][0] == {"tag": "div", "text": {"tag": "lark_md", "content": f"<at id={OPEN_ID}></at>"}}
    posted = json.dumps([wecom.bodies, ding.bodies, lark.bodies], ensure_ascii=False)
    for secret in ("SO-0007", "华东机电", "12,000.00", "客户", "财务审核", "discount", "Li Lei"):
        assert secret not in posted


def test_a_robot_with_details_and_a_users_own_robot_are_told_everything(platform):
    group, mine = platform(), platform()
    group_url, own_url = f"{group.base}/send?key=team", f"{mine.base}/send?key=mine"
    channel = _channel("wecom", {"ENGINE_WECOM_ROBOTS": json.dumps({"finance": {"url": group_url, "details": True},
                                                                    "*": f"{mine.base}/send?key=all"})})
    channel.send(_message("finance", url=None))
    channel.send(_message(own_url, url=None))  # the user's own robot: its URL
    channel.send(_message(f"{mine.base}/send?key=all", url=None))  # an "own" robot that is a group's: as the group
    full = "**待审批：订单 SO-0007（财务审核）**\n> 客户：华东机电\n> 金额：12,000.00"
    assert [b["markdown"]["content"] for b in group.bodies] == [full]
    assert [b["markdown"]["content"] for b in mine.bodies] == [full, "**有一条待你审批的记录**"]


# -- routing, delivery, retries ------------------------------------------------------------------

def _own_robot(store, name: str, channel: str, url: str) -> None:
    """A user's own robot URL, stored as set_addresses would (the local server is not on the
    platform's host, which set_addresses requires)."""
    with store.db.transaction() as session:
        user_id = store.user(session, name, "staff").id
        session.execute(insert(user_addresses).values(user_id=user_id, channel=channel, address=url))


def test_routed_to_the_robots_of_the_users_roles_once_each_with_the_users_at(store, platform):
    wecom = platform()
    sales, everyone, own = (f"{wecom.base}/send?key={k}" for k in ("sales", "all", "own"))
    with store.db.transaction() as session:
        al = store.user(session, "al", "staff", "guest")
        store.user(session, "bo", "guest")
        set_addresses(session, al.id, {"wecom": "ZhangSan"})
    _own_robot(store, "cy", "wecom", own)
    with store.db.transaction() as session:
        notify(store.context(session), ["al", "bo", "cy"], "approved", {"title": "Note Printer"}, "note", 7)
    settings = {"ENGINE_WECOM_ROBOTS": json.dumps({"staff": sales, "guest": sales, "*": everyone}),
                "ENGINE_BASE_URL": "https://erp.example.cn"}
    channels = delivery.Channels.from_settings(settings)
    now = store.rows(notifications)[0]["created_at"]
    delivery.plan(store.db, channels, now)
    by_user = {n["id"]: n["user_name"] for n in store.rows(notifications)}
    assert [(by_user[d["notification_id"]], d["channel"], d["target"]) for d in store.rows(deliveries)] == [
        ("al", "wecom", "* @ZhangSan"), ("al", "wecom", "guest @ZhangSan"),  # guest and staff: one robot
        ("bo", "wecom", "*"), ("bo", "wecom", "guest"),
        ("cy", "wecom", own)]  # the user's own robot instead of the role robots
    lines = delivery.send_due(store.db, channels, now)
    assert sorted(line.split()[0] for line in lines) == ["sent"] * 5
    assert not any("key=" in line for line in lines if " to * " in line or " to guest" in line)
    posted = sorted((r["query"]["key"][0], r["body"]["markdown"]["content"]) for r in wecom.requests)
    link = "[查看记录](https://erp.example.cn/f/note/7)"
    assert posted == [  # the groups hear only that there is something; the user's own robot the title
        ("all", f"**你的一条记录已通过**\n{link}"),
        ("all", f"**你的一条记录已通过**\n{link}\n<@ZhangSan>"),
        ("own", f"**已通过：Note Printer**\n{link}"),
        ("sales", f"**你的一条记录已通过**\n{link}"),
        ("sales", f"**你的一条记录已通过**\n{link}\n<@ZhangSan>")]


def test_a_platform_error_is_retried_then_given_up_and_reported(store, platform):
    ding = platform({"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"})
    with store.db.transaction() as session:
        store.user(session, "al", "staff")
        notify(store.context(session), ["al"], "approved", {"title": "Note Printer"}, "note", 7)
    channels = delivery.Channels.from_settings({"ENGINE_DINGTALK_ROBOTS": json.dumps({"staff": {
        "url": f"{ding.base}/robot/send?access_token=t", "secret": "SECabc"}})})
    now = store.rows(notifications)[0]["created_at"]
    delivery.plan(store.db, channels, now)
    lines = []
    for seconds in (0, 10, 30, 60, 90, 150, 210, 330, 450, 1000):  # tries due after 30 s, 1, 2 and 4 min
        lines += [line.split()[0] for line in delivery.send_due(store.db, channels, now + timedelta(seconds=seconds))]
    assert lines == ["retry", "retry", "retry", "retry", "given"]
    (row,) = store.rows(deliveries)
    assert (row["status"], row["attempts"], row["target"]) == ("failed", 5, "staff")
    assert row["last_error"] == "DeliveryFailed: dingtalk errcode 130101: send too fast, exceed 20 times per minute"
    (incident,) = store.rows(incidents)
    assert incident["kind"] == "delivery_failed" and "dingtalk to staff failed 5 times" in incident["message"]
    assert len(ding.requests) == 5 and len({r["query"]["timestamp"][0] for r in ding.requests}) >= 1


def test_a_robot_gone_from_the_settings_fails_the_delivery_by_name(store, platform):
    lark = platform({"code": 0, "msg": "success"})
    with store.db.transaction() as session:
        store.user(session, "al", "staff")
        notify(store.context(session), ["al"], "approved", {"title": "Note Printer"}, "note", 7)
    now = store.rows(notifications)[0]["created_at"]
    delivery.plan(store.db, delivery.Channels.from_settings(
        {"ENGINE_FEISHU_ROBOTS": json.dumps({"staff": f"{lark.base}/hook/x"})}), now)
    later = delivery.Channels.from_settings({"ENGINE_FEISHU_ROBOTS": json.dumps({"*": f"{lark.base}/hook/x"})})
    assert delivery.send_due(store.db, later, now)[0].startswith(
        "retry     feishu to staff (try 1/5 failed: DeliveryFailed: no robot 'staff' in ENGINE_FEISHU_ROBOTS")
    assert lark.requests == []


# -- addresses and settings ----------------------------------------------------------------------

def test_each_platform_checks_its_addresses(store):
    assert {"wecom", "dingtalk", "feishu"} <= set(registered())
    with store.db.transaction() as session:
        al = store.user(session, "al", "staff")
        with pytest.raises(ValidationFailed) as refused:
            set_addresses(session, al.id, {"wecom": "张三", "dingtalk": "a b", "feishu": "on_123"})
        assert set(refused.value.fields) == {"address_wecom", "address_dingtalk", "address_feishu"}
        for bad in ("http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",  # not https
                    "https://evil.example.com/cgi-bin/webhook/send?key=k"):  # not the platform's host
            with pytest.raises(ValidationFailed) as refused:
                set_addresses(session, al.id, {"wecom": bad})
            assert refused.value.fields["address_wecom"] == [
                "a robot's address must start with https://qyapi.weixin.qq.com/"]
        set_addresses(session, al.id, {"wecom": " ZhangSan ", "dingtalk": "+86-13800000000", "feishu": OPEN_ID})
        assert addresses_of(session, [al.id])[al.id] == {"wecom": "ZhangSan", "dingtalk": "+86-13800000000",
                                                         "feishu": OPEN_ID}
        own = "https://open.feishu.cn/open-apis/bot/v2/hook/2d1f8a6c-4f3e-4c0a-9f1e-7e5c2b1a0d9e"
        set_addresses(session, al.id, {"feishu": own, "dingtalk": "https://oapi.dingtalk.com/robot/send?access_token=t"})
        assert addresses_of(session, [al.id])[al.id]["feishu"] == own


def _name(setting: str) -> str:
    return setting.split("_")[1].lower()


@pytest.mark.parametrize(("setting", "value", "said"), [
    ("ENGINE_WECOM_ROBOTS", "{sales: x}",
     "ENGINE_WECOM_ROBOTS: not JSON (Expecting property name enclosed in double quotes at character 1)"),
    ("ENGINE_WECOM_ROBOTS", '["https://a"]', "ENGINE_WECOM_ROBOTS: must be a JSON object mapping a role name"),
    ("ENGINE_FEISHU_ROBOTS", '{"Sales": "https://a"}', "ENGINE_FEISHU_ROBOTS: 'Sales': not a role name"),
    ("ENGINE_WECOM_ROBOTS", '{"sales": "ftp://a"}', "ENGINE_WECOM_ROBOTS: 'sales': not an http(s) URL: 'ftp://a'"),
    ("ENGINE_DINGTALK_ROBOTS", '{"sales": {"url": "https://a", "token": "x"}}',
     "ENGINE_DINGTALK_ROBOTS: 'sales': unknown key(s) token"),
    ("ENGINE_DINGTALK_ROBOTS", '{"sales": {"url": "https://a", "secret": ""}}',
     "ENGINE_DINGTALK_ROBOTS: 'sales': secret must be a non-empty"),
    ("ENGINE_FEISHU_ROBOTS", '{"sales": {"url": "https://a"}, "*": {}}', "ENGINE_FEISHU_ROBOTS: '*': url is missing"),
    ("ENGINE_WECOM_ROBOTS", '{"sales": {"url": "https://a", "secret": "s"}}',
     "ENGINE_WECOM_ROBOTS: 'sales': these robots have no signature secret"),
    ("ENGINE_FEISHU_ROBOTS", '{"sales": {"url": "https://a", "details": "yes"}}',
     "ENGINE_FEISHU_ROBOTS: 'sales': details must be true or false"),
])
def test_a_bad_robot_setting_is_said_and_plans_nothing(store, setting, value, said):
    channels = delivery.Channels.from_settings({setting: value})
    (line,) = channels.problems()
    assert line.startswith(said)
    assert [c.name for c in channels.ready()] == [n for n in ("dingtalk", "email", "feishu", "webhook", "wecom")
                                                  if n not in ("email", "webhook") and n != _name(setting)]
    with store.db.transaction() as session:
        store.user(session, "al", "staff")
        notify(store.context(session), ["al"], "approved", {"title": "Note Printer"}, "note", 7)
    assert delivery.plan(store.db, channels, store.rows(notifications)[0]["created_at"]) == 1  # no crash
    assert store.rows(deliveries) == []


def test_the_app_and_the_scheduler_refuse_to_start_with_a_bad_robot_setting(env, engine_cli):
    from engine.app import create_app
    from engine.errors import SettingsInvalid

    with pytest.raises(SettingsInvalid, match="ENGINE_FEISHU_ROBOTS: not JSON"):
        create_app({"ENGINE_FEISHU_ROBOTS": "{", "DATABASE_URL": "sqlite://"})
    result = engine_cli({**env, "ENGINE_DINGTALK_ROBOTS": '{"*": 3}'}, "reminders", "run", check=False)
    assert result.returncode == 1
    assert "ENGINE_DINGTALK_ROBOTS: '*': a robot is" in result.stderr


def test_long_texts_fit_the_platforms_limits_and_keep_the_at(platform):
    wecom, lark = platform(), platform({"code": 0})
    long = "长" * 3000  # 9000 bytes
    _channel("wecom", {"ENGINE_WECOM_ROBOTS": json.dumps({"*": {"url": f"{wecom.base}/send?key=k",
                                                                "details": True}})}).send(
        _message("* @ZhangSan", text=long))
    content = wecom.bodies[0]["markdown"]["content"]
    assert len(content.encode()) <= 4096 and content.endswith("…\n<@ZhangSan>")
    _channel("feishu", {"ENGINE_FEISHU_ROBOTS": json.dumps({"*": {"url": f"{lark.base}/hook/x",
                                                                  "details": True}})}).send(
        _message(f"* @{OPEN_ID}", text=long, summary=(), url=None, channel="feishu"))
    card = lark.bodies[0]["card"]
    assert card["header"]["title"]["content"] == "长" * 99 + "…"
    (element,) = card["elements"]
    content = element["text"]["content"]
    assert len(content.encode()) <= 8000 and content.startswith("长" * 2000)
    assert content.endswith(f"…\n<at id={OPEN_ID}></at>")
