"""Round trip: every shipped and test config loads as documents and back; the shipped files
are canonical text already, so a draft of the unchanged documents publishes nothing new."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.definitions import load_directory, load_sources, read_sources
from engine.services.designer import canonical_text, check, parse_texts
from tests.conftest import ApiClient

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = [ROOT / "configs", *sorted(p for p in (ROOT / "tests/configs").iterdir() if p.is_dir() and p.name != "bad")]


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_config_reads_as_documents_and_back(folder):
    texts = read_sources(folder)
    app = load_directory(folder)
    docs = parse_texts(texts)
    again = load_sources({name: canonical_text(doc) for name, doc in docs.items()})
    assert dict(again.sources) == dict(app.sources)
    assert json.loads(json.dumps(docs)) == docs  # JSON all the way (no tuples, no NaN)
    assert check(docs, "en") == []
    if folder == ROOT / "configs":
        assert {name: canonical_text(doc) for name, doc in docs.items()} == texts  # byte for byte


def _unique(pairs):
    if len({key for key, _ in pairs}) != len(pairs):
        raise ValueError("a key twice")
    return dict(pairs)


def test_the_bad_configs_stay_bad_as_documents():
    folder = ROOT / "tests/configs/bad"
    for path in sorted(folder.glob("*.json")):
        if path.name == "expected.json":
            continue
        try:
            doc = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=_unique)
        except (ValueError, UnicodeDecodeError):
            continue  # not JSON (or a key twice): the designer never holds it as a document
        assert check({path.name: doc}, "en"), path.name


def test_a_draft_of_the_shipped_documents_publishes_nothing_new(app, make_user):
    from engine.auth.users import create_user, issue_token

    with app.extensions["engine"].db.transaction() as session:
        token = issue_token(session, create_user(session, "ada", "ada-password", {"admin"}))
    ada = ApiClient(app, token, "ada")
    state = ada.get("/api/admin/designer").get_json()
    saved = ada.client.put("/api/admin/designer/draft", json={
        "base_signature": state["live"]["signature"], "sources": state["files"]},
        headers={"Authorization": f"Bearer {token}"})
    assert saved.status_code == 200 and saved.get_json()["problems"] == []
    review = ada.get("/api/admin/designer/review").get_json()
    assert review["diff"] == {} and review["summary"] == [] and review["plan"]["refusals"] == []
    done = ada.post("/api/admin/designer/publish", json={}).get_json()
    assert done["signature"] == state["live"]["signature"]
    assert done["publication"] == state["live"]["publication"]
    assert len(ada.get("/api/admin/designer/versions").get_json()) == 1
