"""`engine config export | import | versions | restore` and `engine init` under the rule
between the config files and the database, run as the command."""
from __future__ import annotations

import json
import shutil

from tests.conftest import SHIPPED
from tests.designer.conftest import canonical


def add_field(folder, name):
    path = folder / "crm.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    form = next(f for f in doc["forms"] if f["name"] == "customer")
    form["fields"].append({"name": name, "type": "text", "label": name})
    path.write_text(canonical(doc), encoding="utf-8")


def listed(engine_cli, env, tmp_path):
    out = engine_cli(env, "config", "versions", cwd=tmp_path).stdout
    return [line.split("\t") for line in out.splitlines()]


def test_import_restore_export_and_init_keep_the_rule(engine_cli, env, tmp_path):
    folder = tmp_path / "configs"
    shutil.copytree(SHIPPED, folder)
    env = {**env, "ENGINE_CONFIG_DIR": str(folder)}
    engine_cli(env, "init", "--admin-password", "x", cwd=tmp_path)
    first = listed(engine_cli, env, tmp_path)
    assert len(first) == 1 and first[0][1] == "*" and first[0][3:5] == ["-", "init"]

    add_field(folder, "wechat")
    imported = engine_cli(env, "config", "import", "--note", "wechat from git", cwd=tmp_path)
    assert "wechat" in imported.stdout
    rows = listed(engine_cli, env, tmp_path)
    assert [r[4] for r in rows] == ["import", "init"] and rows[0][1] == "*" and rows[0][5] == "wechat from git"

    # restoring the first version: the live set now has a change that is not in the files
    engine_cli(env, "config", "restore", first[0][0], "--note", "undo", cwd=tmp_path)
    rows = listed(engine_cli, env, tmp_path)
    assert rows[0][4] == "restore" and rows[0][1] == "*" and rows[0][5] == f"restores {first[0][0]} undo"
    engine_cli(env, "init", cwd=tmp_path)  # files unchanged since: init keeps the live set
    assert len(listed(engine_cli, env, tmp_path)) == 3 and listed(engine_cli, env, tmp_path)[0][4] == "restore"

    add_field(folder, "qq")  # the files change while the live set has changes not in them
    refused = engine_cli(env, "init", check=False, cwd=tmp_path)
    assert refused.returncode == 1 and "engine config export" in refused.stderr

    engine_cli(env, "config", "export", cwd=tmp_path)
    for name in ("crm.json", "order_followup.json"):  # the live set is the shipped files again, byte for byte
        assert (folder / name).read_bytes() == (SHIPPED / name).read_bytes()
    engine_cli(env, "init", cwd=tmp_path)
    add_field(folder, "qq")  # in step again: a change of the files applies
    engine_cli(env, "init", cwd=tmp_path)
    assert listed(engine_cli, env, tmp_path)[0][4] == "files"


def test_export_elsewhere_and_refused_imports(engine_cli, env, tmp_path):
    engine_cli(env, "init", "--admin-password", "x", cwd=tmp_path)
    out = tmp_path / "out"
    engine_cli(env, "config", "export", str(out), cwd=tmp_path)
    assert sorted(p.name for p in out.glob("*.json")) == ["crm.json", "order_followup.json"]
    assert (out / "crm.json").read_bytes() == (SHIPPED / "crm.json").read_bytes()
    (out / "crm.json").write_text("{ broken", encoding="utf-8")
    result = engine_cli(env, "config", "import", str(out), check=False, cwd=tmp_path)
    assert result.returncode == 1 and "crm.json: /:" in result.stderr
    assert len(listed(engine_cli, env, tmp_path)) == 1
    missing = engine_cli(env, "config", "restore", "9999", check=False, cwd=tmp_path)
    assert missing.returncode == 1 and "9999" in missing.stderr


def test_users_add_knows_the_roles_of_the_live_set(engine_cli, env, tmp_path):
    engine_cli(env, "init", "--admin-password", "x", cwd=tmp_path)
    other = tmp_path / "other"
    shutil.copytree(SHIPPED, other)
    doc = json.loads((other / "crm.json").read_text(encoding="utf-8"))
    doc["roles"].append({"name": "auditor", "title": "审计"})
    (other / "crm.json").write_text(canonical(doc), encoding="utf-8")
    engine_cli(env, "config", "import", str(other), cwd=tmp_path)  # the config dir does not have the role
    added = engine_cli(env, "users", "add", "audrey", "--password", "audrey-password", "--roles", "auditor",
                       cwd=tmp_path)
    assert "auditor" in added.stdout
    unknown = engine_cli(env, "users", "add", "x1", "--password", "x1-password-1", "--roles", "nobody",
                         check=False, cwd=tmp_path)
    assert unknown.returncode == 1 and "auditor" in unknown.stderr
