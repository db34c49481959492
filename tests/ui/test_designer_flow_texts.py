"""The flow tab's words: every key its scripts use is in engine/ui/designer_texts/flow.py, and the
page carries each of them in Chinese (the default) and in English."""
from __future__ import annotations

import json
import re
from pathlib import Path

from engine.ui.designer_texts import flow

SCRIPTS = Path(__file__).resolve().parents[2] / "engine" / "ui" / "static" / "js" / "designer"


def _used() -> tuple[set[str], set[str]]:
    """Keys written whole ("flow.add_stage") and prefixes of keys made in code (`flow.unit_${u}`)."""
    whole: set[str] = set()
    prefixes: set[str] = set()
    for path in SCRIPTS.glob("flow*.js"):
        source = path.read_text(encoding="utf-8")
        whole.update(re.findall(r'["`](flow\.[a-z_]+)["`]', source))
        prefixes.update(re.findall(r"`(flow\.[a-z_]+)\$\{", source))
    return whole, prefixes


def _texts(html: str) -> dict[str, str]:
    match = re.search(r'<script type="application/json" id="designer-text">(.*?)</script>', html, re.S)
    assert match
    return json.loads(match.group(1))


def test_every_key_the_flow_scripts_use_has_a_text():
    whole, prefixes = _used()
    assert len(whole) > 100
    assert whole - set(flow.TEXTS) == set()
    for prefix in prefixes:
        assert len([key for key in flow.TEXTS if key.startswith(prefix)]) >= 2, prefix
    made = {"flow.unit_m", "flow.unit_h", "flow.unit_d", "flow.unit_w", "flow.mode_any", "flow.mode_all",
            "flow.mode_any_help", "flow.mode_all_help", "flow.outcome_approved", "flow.outcome_rejected",
            "flow.recipient_role", "flow.recipient_user", "flow.recipient_field", "flow.recipient_manager_of",
            "flow.escalate_approve", "flow.escalate_reject", "flow.escalate_send_back"}
    assert made <= set(flow.TEXTS)


def test_the_flow_tab_speaks_chinese_by_default_and_english_on_request(browser):
    admin = browser("root9", "admin")
    zh = _texts(admin.get("/admin/designer").get_data(as_text=True))
    en = _texts(admin.get("/admin/designer?lang=en").get_data(as_text=True))
    assert zh["flow.add_step"] == "添加审批步骤" and en["flow.add_step"] == "Add approval step"
    assert zh["flow.mode_all"].startswith("会签") and zh["flow.mode_any"].startswith("或签")
    for key in flow.TEXTS:
        assert en[key] and zh[key], key
        # every text is translated: a Chinese text differs from the English one (or has Chinese in it)
        assert zh[key] != en[key] or re.search(r"[\u4e00-\u9fff]", zh[key]), key
