"""`engine export --lang` writes a bilingual module's headers, option labels and stage titles in
that language (Chinese by default); `engine import` takes the English file back."""
from __future__ import annotations

import os


def test_the_cli_exports_in_the_chosen_language_and_imports_either(app, ticket, db_url, engine_cli, tmp_path):
    env = {**os.environ, "DATABASE_URL": db_url, "ENGINE_SECRET_KEY": "x",
           "ENGINE_CONFIG_DIR": app.config["ENGINE"]["ENGINE_CONFIG_DIR"]}
    chinese = engine_cli(env, "export", "ticket", "--as", "ann").stdout.splitlines()
    assert chinese[0].startswith("ID,阶段,主题,级别,标签") and "紧急" in chinese[1] and "待处理" in chinese[1]
    english = engine_cli(env, "export", "ticket", "--as", "ann", "--lang", "en").stdout
    head, row = english.splitlines()[:2]
    assert head.startswith("ID,Stage,Subject,Level,Tags") and "Urgent" in row and "Open" in row and "房间号" in head
    again = tmp_path / "again.csv"
    again.write_text(english.replace(row.split(",")[0] + ",", ",", 1), encoding="utf-8")  # a new record, no ID
    done = engine_cli(env, "import", "ticket", str(again), "--as", "ann")
    assert done.returncode == 0, done.stdout + done.stderr
    after = engine_cli(env, "export", "ticket", "--as", "ann", "--lang", "en").stdout.splitlines()
    assert len(after) == 3 and after[2].split(",")[2:4] == ["打印机卡纸", "Urgent"], after
