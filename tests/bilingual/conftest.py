"""An app on tests/configs/bilingual: a module whose texts are written in Chinese and English
({"zh-CN", "en"}), with one label and one option label in Chinese only (the fallback)."""
from __future__ import annotations

import shutil

import pytest

from tests.conftest import TEST_CONFIGS


@pytest.fixture
def app(make_app, tmp_path):
    folder = tmp_path / "bilingual"
    shutil.copytree(TEST_CONFIGS / "bilingual", folder)
    return make_app(folder)


@pytest.fixture
def agent(make_user):
    return make_user("ann", "agent")


@pytest.fixture
def ticket(agent):
    return agent.create("ticket", subject="打印机卡纸", level="high", tags=["hw"], room="A-101",
                        parts=[{"part": "搓纸轮", "qty": 2}])
