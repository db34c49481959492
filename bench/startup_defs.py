"""A large generated definition set for the start-up benchmark (bench/startup.py): FORMS forms of
FIELDS fields each in MODULES modules, mixed field types, links to earlier forms, a line-item
table, formulas, lists with filters, search and a view, and a workflow with an approval on
every third form."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FORMS, FIELDS, MODULES = 50, 40, 5
#: The types the generated fields cycle through (a link, a table and a formula are added apart).
CYCLE = ("text", "integer", "decimal", "date", "datetime", "select", "boolean", "user", "textarea",
         "email", "phone", "multiselect", "rating", "url")


def field(i: int, kind: str, form_index: int) -> dict[str, Any]:
    doc: dict[str, Any] = {"name": f"f{i:02d}", "type": kind, "label": {"zh-CN": f"字段{i}", "en": f"Field {i}"}}
    if kind in ("select", "multiselect"):
        doc["options"] = [f"opt{j}" for j in range(6)]
    if kind == "decimal":
        doc["precision"] = 2
    if kind == "text" and i % 3 == 0:
        doc["index"] = True
    if kind == "integer" and i % 5 == 0:
        doc["required"] = True
        doc["default"] = 1
    return doc


def form(index: int, indexes: bool = True) -> dict[str, Any]:
    name = f"form{index:02d}"
    fields = [{"name": "title", "type": "text", "label": {"zh-CN": "标题", "en": "Title"}, "required": True}]
    kinds = [CYCLE[(i + index) % len(CYCLE)] for i in range(1, FIELDS - 4)]
    fields += [field(i, kind, index) for i, kind in enumerate(kinds, start=1)]
    numbers = [f["name"] for f in fields if f["type"] in ("integer", "decimal")]
    fields.append({"name": "total", "type": "formula", "label": "Total",
                   "formula": " + ".join(numbers[:3]) if numbers else "1"})
    fields.append({"name": "items", "type": "table", "label": "Items", "fields": [
        {"name": "what", "type": "text", "label": "What"},
        {"name": "qty", "type": "integer", "label": "Qty"},
        {"name": "price", "type": "decimal", "label": "Price", "precision": 2},
    ]})
    fields.append({"name": "owner", "type": "user", "label": "Owner"})
    if index > 0:
        fields.append({"name": "parent", "type": "link", "form": f"form{index - 1:02d}", "label": "Parent"})
    else:
        fields.append({"name": "note", "type": "text", "label": "Note"})
    filters = [f["name"] for f in fields if f["type"] in ("select", "boolean", "user", "date")][:5]
    doc: dict[str, Any] = {
        "name": name, "title": {"zh-CN": f"表单{index}", "en": f"Form {index}"}, "title_field": "title",
        "owner_field": "owner", "fields": fields,
        "permissions": {"staff": {"create": True, "read": "all", "update": "own"},
                        "manager": {"create": True, "read": "all", "update": "all", "delete": "all"}},
        "list": {"columns": ["title", *[f["name"] for f in fields[1:6]], "created_at"], "filters": filters,
                 "search": ["title"],
                 "views": [{"name": "mine", "title": "Mine", "filters": {"quick": "mine"}}]},
        "summary": ["owner", "created_at"],
    }
    if index % 3 == 0:
        doc["workflow"] = {
            "initial": "draft",
            "stages": [{"name": "draft", "title": "Draft", "editable": ["*"]},
                       {"name": "review", "title": "Review", "due": "3d",
                        "approval": {"steps": [{"name": "boss", "title": "Boss", "approvers": [{"role": "manager"}]}],
                                     "approved": "done", "rejected": "draft"}},
                       {"name": "done", "title": "Done", "final": True}],
            "transitions": [{"name": "submit", "title": "Submit", "from": "draft", "to": "review",
                             "roles": ["staff", "manager"], "condition": "title != ''"}],
        }
        if indexes:
            doc["indexes"] = [["stage", "-created_at"]]
    return doc


def modules(indexes: bool = True) -> list[dict[str, Any]]:
    per = FORMS // MODULES
    docs = []
    for m in range(MODULES):
        docs.append({
            "module": f"mod{m}", "title": {"zh-CN": f"模块{m}", "en": f"Module {m}"},
            "roles": [{"name": "staff", "title": "Staff"}, {"name": "manager", "title": "Manager"}] if m == 0 else [],
            "forms": [form(i, indexes) for i in range(m * per, (m + 1) * per)],
        })
    return docs


def write(folder: Path, indexes: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for doc in modules(indexes):
        (folder / f"{doc['module']}.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return folder
