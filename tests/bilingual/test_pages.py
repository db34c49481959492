"""Pages and the API show a definition's texts in the reader's language: English where the
definition gives it, else its Chinese; Chinese pages show Chinese."""
from __future__ import annotations

import re


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_list_page_speaks_the_readers_language(browser, ticket):
    client = browser("bea", "agent")
    en = client.get("/f/ticket?lang=en").get_data(as_text=True)
    for word in ("Ticket", "Subject", "Level", "Urgent", "Open", "Service desk"):
        assert word in en, word
    assert "房间号" in en  # no English given: the Chinese label
    assert "工单" not in _text(en) and "紧急" not in en and "主题" not in en
    zh = client.get("/f/ticket?lang=zh_CN").get_data(as_text=True)
    for word in ("工单", "主题", "级别", "紧急", "待处理", "服务台"):
        assert word in zh, word
    assert "Urgent" not in zh and "Subject" not in zh


def test_the_record_and_form_pages_speak_the_readers_language(browser, ticket):
    client = browser("bea", "agent")
    detail = client.get(f"/f/ticket/{ticket['id']}?lang=en").get_data(as_text=True)
    for word in ("Subject", "Urgent", "Hardware", "Parts", "Quantity", "Send for review", "Send it now?"):
        assert word in detail, word
    assert "提交审核" not in detail and "硬件" not in detail
    form = client.get("/f/ticket/new?lang=en").get_data(as_text=True)
    for word in ("Subject", "One line", "e.g. paper jam", "Urgent", "Normal", "Tags", "Software", "Due on"):
        assert word in form, word
    assert ">低<" in form or "低" in form  # an option without English: its Chinese label
    zh_form = client.get("/f/ticket/new?lang=zh_CN").get_data(as_text=True)
    assert "一句话说明" in zh_form and "例如：打印机卡纸" in zh_form and "紧急" in zh_form


def test_the_history_names_the_transition_in_the_readers_language(browser, agent, make_user, ticket):
    make_user("leo", "lead")
    assert agent.post(f"/api/forms/ticket/records/{ticket['id']}/transitions/submit", json={}).status_code == 200
    client = browser("bea", "agent")
    en = client.get(f"/f/ticket/{ticket['id']}?lang=en").get_data(as_text=True)
    assert "Send for review" in en and "In review" in en and "审核中" not in en
    zh = client.get(f"/f/ticket/{ticket['id']}?lang=zh_CN").get_data(as_text=True)
    assert "提交审核" in zh and "审核中" in zh and "Send for review" not in zh
    history = agent.get(f"/api/forms/ticket/records/{ticket['id']}/history",
                        headers={"Accept-Language": "en"}).get_json()
    assert any(entry.get("title") == "Send for review" for entry in history), history


def test_tasks_and_the_dashboard_speak_the_readers_language(browser, agent, ticket):
    lead = browser("leo", "lead")
    assert agent.post(f"/api/forms/ticket/records/{ticket['id']}/transitions/submit", json={},
                      headers={"Accept-Language": "zh-CN"}).status_code == 200
    tasks = lead.get("/tasks?lang=en").get_data(as_text=True)
    assert "Lead check" in tasks and "组长审核" not in tasks
    assert "组长审核" in lead.get("/tasks?lang=zh_CN").get_data(as_text=True)
    # the in-app notification was written while the agent's request spoke Chinese; each reads their own
    inbox = lead.get("/notifications?lang=en").get_data(as_text=True)
    assert "Approval needed: Ticket 打印机卡纸 (Lead check)" in inbox
    assert "待审批：工单 打印机卡纸（组长审核）" in lead.get("/notifications?lang=zh_CN").get_data(as_text=True)
    board = lead.get("/dashboard?inline=1&lang=en").get_data(as_text=True)
    assert "By level" in board and "Urgent" in board and "Service desk" in board
    assert "按级别" not in board and "紧急" not in board
    board = lead.get("/dashboard?inline=1&lang=zh_CN").get_data(as_text=True)
    assert "按级别" in board and "紧急" in board and "By level" not in board


def test_the_api_describes_forms_in_the_callers_language(agent):
    en = agent.get("/api/forms", headers={"Accept-Language": "en"}).get_json()
    zh = agent.get("/api/forms", headers={"Accept-Language": "zh-CN"}).get_json()
    assert "Ticket" in str(en) and "工单" not in str(en), en
    assert "工单" in str(zh) and "Ticket" not in str(zh)
    spec = agent.get("/api/openapi.json", headers={"Accept-Language": "en"}).get_json()
    fields = spec["components"]["schemas"]["ticket.fields"]
    assert fields["title"] == "Ticket" and fields["properties"]["subject"]["description"] == "Subject: One line"
    spec = agent.get("/api/openapi.json", headers={"Accept-Language": "zh-CN"}).get_json()
    assert spec["components"]["schemas"]["ticket.fields"]["properties"]["subject"]["description"] == "主题: 一句话说明"
