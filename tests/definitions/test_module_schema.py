"""Tests for the JSON Schema of one module file, as assembled from
engine/definitions/module.schema.json and the field types' fragments."""

import copy

import pytest
from jsonschema import Draft202012Validator

from engine.definitions.schema import module_schema

SCHEMA = module_schema()
VALIDATOR = Draft202012Validator(SCHEMA)


def pointer(path):
    """JSON pointer of a jsonschema error path, as `engine validate` prints it."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def error_pointers(doc):
    return sorted({pointer(e.absolute_path) for e in VALIDATOR.iter_errors(doc)})


def errors_text(doc):
    return "\n".join(
        f"{pointer(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(doc)
    )


# The sales order form of SPEC §3 with the workflow of §5, inside a module (§2).
ORDER_FORM = {
    "name": "sales_order",
    "title": "销售订单",
    "title_field": "order_no",
    "owner_field": "salesperson",
    "fields": [
        {"name": "order_no", "type": "serial", "label": "订单号",
         "pattern": "SO-{date:%Y%m%d}-{seq:4}"},
        {"name": "customer", "type": "link", "form": "customer", "label": "客户",
         "required": True},
        {"name": "salesperson", "type": "user", "label": "销售", "default": "$user"},
        {"name": "delivery_date", "type": "date", "label": "交货日期", "required": True},
        {"name": "items", "type": "table", "label": "订单明细", "min_rows": 1, "fields": [
            {"name": "product", "type": "text", "label": "产品", "required": True},
            {"name": "qty", "type": "integer", "label": "数量", "min": 1},
            {"name": "price", "type": "decimal", "label": "单价", "precision": 2, "min": 0},
            {"name": "subtotal", "type": "formula", "label": "小计", "formula": "qty * price"},
        ]},
        {"name": "amount", "type": "formula", "label": "金额",
         "formula": "sum(items.subtotal)"},
        {"name": "contract", "type": "file", "label": "合同", "accept": [".pdf", ".jpg"]},
        {"name": "shipped_on", "type": "date", "label": "发货日期"},
    ],
    "permissions": {
        "sales": {"create": True, "read": "own", "update": "own", "delete": False},
        "finance": {"read": "all"},
        "sales_manager": {"create": True, "read": "all", "update": "all", "delete": "all"},
    },
    "list": {"columns": ["order_no", "customer", "amount", "delivery_date"],
             "filters": ["salesperson", "delivery_date"], "search": ["order_no"],
             "order_by": "-created_at", "page_size": 20},
    "reminders": [
        {"name": "delivery_due", "date_field": "delivery_date", "offset": "-1d",
         "notify": [{"field": "salesperson"}], "when": "stage != 'done'",
         "message": "订单 {order_no} 明天交货"},
    ],
    "charts": [
        {"title": "订单数", "type": "number", "value": "count()"},
        {"title": "各阶段订单", "type": "funnel", "group_by": "stage"},
        {"title": "销售额", "type": "bar", "group_by": "salesperson", "value": "sum(amount)",
         "where": "stage != 'cancelled'"},
    ],
    "workflow": {
        "initial": "draft",
        "stages": [
            {"name": "draft", "title": "草稿", "editable": ["*"]},
            {"name": "review", "title": "审核", "editable": [],
             "due": "24h", "remind_before": "4h",
             "escalate": {"notify": [{"role": "sales_manager"}]},
             "approval": {
                 "steps": [
                     {"name": "finance", "title": "财务审核", "approvers": [{"role": "finance"}],
                      "mode": "any"},
                     {"name": "manager", "title": "经理审批",
                      "approvers": [{"role": "sales_manager"}], "when": "amount >= 50000"},
                     {"name": "gm", "title": "总经理审批",
                      "approvers": [{"role": "general_manager"}], "when": "amount >= 200000"},
                 ],
                 "approved": "production",
                 "rejected": "draft",
             }},
            {"name": "production", "title": "生产", "editable": ["delivery_date"], "due": "7d"},
            {"name": "shipped", "title": "已发货"},
            {"name": "done", "title": "完成", "final": True},
            {"name": "cancelled", "title": "已取消", "final": True},
        ],
        "transitions": [
            {"name": "submit", "title": "提交审核", "from": "draft", "to": "review",
             "roles": ["sales"]},
            {"name": "ship", "title": "发货", "from": "production", "to": "shipped",
             "roles": ["warehouse"], "set": {"shipped_on": "today()"}},
            {"name": "cancel", "title": "取消", "from": ["draft", "review", "production"],
             "to": "cancelled", "roles": ["sales_manager"], "comment_required": True},
        ],
    },
}

ORDER_MODULE = {
    "module": "order_followup",
    "title": "销售跟单",
    "roles": [
        {"name": "sales", "title": "销售"},
        {"name": "finance", "title": "财务"},
        {"name": "sales_manager", "title": "销售经理"},
        {"name": "general_manager", "title": "总经理"},
        {"name": "warehouse", "title": "仓库"},
    ],
    "forms": [ORDER_FORM],
}

# A form using every documented key that the order example does not.
KITCHEN_SINK_FORM = {
    "name": "customer",
    "title": "客户",
    "description": "客户档案",
    "icon": "users",
    "renamed_from": "client",
    "title_field": "name",
    "owner_field": "owner",
    "fields": [
        {"name": "name", "type": "text", "label": "名称", "required": True, "unique": True,
         "max_length": 100, "pattern": "^\\S.*$", "help": "全称", "placeholder": "公司名称",
         "index": True, "renamed_from": "title"},
        {"name": "notes", "type": "textarea", "max_length": 5000, "rows": 6},
        {"name": "employees", "type": "integer", "min": 0, "max": 1000000, "default": 10},
        {"name": "credit", "type": "decimal", "precision": 4, "min": "0.0001",
         "max": "99999999.99", "default": "1000.00"},
        {"name": "vip", "type": "boolean", "default": False, "readonly": True},
        {"name": "since", "type": "date", "default": "$today"},
        {"name": "last_contact", "type": "datetime", "default": "$now"},
        {"name": "level", "type": "select", "options": ["A", "B", "C"], "default": "A"},
        {"name": "tags", "type": "multiselect",
         "options": [{"value": "hot", "label": "热门"}, {"value": "cold"}],
         "default": ["hot"]},
        {"name": "email", "type": "email"},
        {"name": "phone", "type": "phone", "visible_if": "level == 'A'"},
        {"name": "site", "type": "url", "default": None},
        {"name": "owner", "type": "user", "role": "sales", "default": "$user"},
        {"name": "parent", "type": "link", "form": "customer"},
        {"name": "contacts", "type": "table", "min_rows": 0, "max_rows": 20, "fields": [
            {"name": "contact", "type": "text"},
            {"name": "mobile", "type": "phone"},
            {"name": "kind", "type": "select", "options": ["main", "other"]},
            {"name": "card", "type": "file", "accept": [".png"], "max_size": 1048576},
        ]},
        {"name": "days_idle", "type": "formula", "formula": "days_between(last_contact, now())",
         "result": "integer", "precision": 0},
        {"name": "code", "type": "serial", "pattern": "C{seq:6}"},
        {"name": "next_follow_up", "type": "date"},
    ],
    "permissions": {
        "sales": {"create": True,
                  "read": {"where": "owner == $user or owner == null"},
                  "update": "own", "delete": False, "hide": ["credit", "contacts.mobile"]},
        "warehouse": {"hide": ["credit"]},
    },
    "list": {"order_by": "name", "page_size": 200},
    "reminders": [
        {"name": "follow_up", "date_field": "next_follow_up", "offset": "-1d",
         "notify": [{"field": "owner"}], "when": "stage != 'closed'",
         "message": "明天跟进客户 {name}"},
        {"name": "release", "date_field": "last_contact", "offset": "+30d",
         "transition": "release"},
        {"name": "nudge", "date_field": "since", "offset": "2w",
         "notify": [{"manager_of": "owner"}, {"user": "admin"}, {"role": "sales_manager"}],
         "transition": "release"},
    ],
    "charts": [
        {"name": "by_level", "title": "按等级", "type": "pie", "group_by": "level"},
        {"title": "新增", "type": "line", "group_by": "since", "value": "count()"},
        {"title": "授信", "type": "bar", "group_by": "level", "value": "avg(credit)"},
    ],
    "workflow": {
        "initial": "active",
        "stages": [
            {"name": "active", "title": "跟进中", "editable": ["name", "notes"],
             "color": "#1677ff", "renamed_from": "open"},
            {"name": "vetting", "title": "审查", "due": "2d",
             "escalate": {"notify": [{"role": "sales_manager"}], "action": "send_back"},
             "approval": {
                 "steps": [
                     {"name": "check", "approvers": [{"field": "owner"},
                                                     {"manager_of": "owner"}],
                      "mode": "all", "cc": [{"user": "boss"}], "allow_self_approval": True,
                      "skip_if_approved_before": True},
                 ],
                 "approved": "active", "rejected": "pool"}},
            {"name": "pool", "title": "公海", "due": "30m",
             "escalate": {"transition": "claim"}},
            {"name": "closed", "title": "关闭", "final": True, "editable": []},
        ],
        "transitions": [
            {"name": "release", "from": "active", "to": "pool"},
            {"name": "claim", "title": "领取", "from": "pool", "to": "active",
             "roles": ["sales", "$owner"], "condition": "owner == null",
             "set": {"owner": "$user"}, "confirm": "确定领取该客户？"},
            {"name": "close", "from": "*", "to": "closed",
             "create": {"form": "sales_order", "set": {"customer": "id"}}},
            {"name": "vet", "from": ["active"], "to": "vetting", "create": {"form": "audit"}},
        ],
    },
}


def order_module():
    return copy.deepcopy(ORDER_MODULE)


def test_schema_is_valid_draft_2020_12():
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["$id"].endswith("module.schema.json")
    assert SCHEMA["title"]


def _walk_objects(node, path="#"):
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk_objects(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk_objects(value, f"{path}/{i}")


def test_every_property_has_a_description_and_objects_are_closed():
    conditional = {"if", "then", "else", "dependentSchemas", "not"}
    declared = 0
    for path, node in _walk_objects(SCHEMA):
        if conditional & set(path.split("/")) or path.endswith("/table_field"):
            continue  # restrictions of keys that are declared and documented elsewhere
        if node.get("type") == "object":
            # a closed object, a map whose values are checked by a schema, or a oneOf of
            # closed objects
            assert "additionalProperties" in node or "oneOf" in node, path
            if "properties" in node:
                assert node["additionalProperties"] is False, path
        for name, sub in node.get("properties", {}).items():
            declared += 1
            assert isinstance(sub, dict) and sub.get("description"), f"{path}/{name}"
    assert declared > 100
    for name, definition in SCHEMA["$defs"].items():
        assert definition.get("description"), name


def test_order_example_from_spec_validates():
    assert errors_text(ORDER_MODULE) == ""


def test_kitchen_sink_module_validates():
    doc = order_module()
    doc["description"] = "订单跟踪"
    doc["$schema"] = "https://engine.local/schema/module.schema.json"
    doc["roles"][0]["description"] = "一线销售"
    doc["forms"].append(copy.deepcopy(KITCHEN_SINK_FORM))
    doc["forms"].append({"name": "audit", "title": "审计", "fields": [
        {"name": "note", "type": "text"}]})
    assert errors_text(doc) == ""


def test_minimal_module_validates():
    assert errors_text({"module": "m", "title": "M", "forms": []}) == ""


def _set(doc, path, value):
    *parents, last = path
    node = doc
    for key in parents:
        node = node[key]
    node[last] = value


def _del(doc, path):
    *parents, last = path
    node = doc
    for key in parents:
        node = node[key]
    del node[last]


F = ("forms", 0)
FIELDS = (*F, "fields")
WF = (*F, "workflow")
STAGES = (*WF, "stages")
REVIEW = (*STAGES, 1)
STEPS = (*REVIEW, "approval", "steps")
TRANSITIONS = (*WF, "transitions")


# (id, mutation (path, value) or (path, DELETE), expected error pointer)
DELETE = object()
INVALID_CASES = [
    ("bad_module_identifier", (("module",), "Order-Followup"), "/module"),
    ("identifier_too_long", (("module",), "a" * 64), "/module"),
    ("identifier_trailing_newline", (("module",), "orders\n"), "/module"),
    ("unknown_top_level_key", (("modul",), "x"), ""),
    ("missing_forms", (("forms",), DELETE), ""),
    ("role_bad_name", (("roles", 1, "name"), "Finance"), "/roles/1/name"),
    ("form_unknown_key", ((*F, "titel"), "x"), "/forms/0"),
    ("bad_field_name", ((*FIELDS, 3, "name"), "3d_date"), "/forms/0/fields/3/name"),
    ("field_named_system_attribute", ((*FIELDS, 3, "name"), "created_at"),
     "/forms/0/fields/3/name"),
    ("unknown_field_type", ((*FIELDS, 3, "type"), "money"), "/forms/0/fields/3/type"),
    ("field_key_typo_requried", ((*FIELDS, 3, "requried"), True), "/forms/0/fields/3"),
    ("required_not_boolean", ((*FIELDS, 3, "required"), "yes"),
     "/forms/0/fields/3/required"),
    ("link_without_form", ((*FIELDS, 1, "form"), DELETE), "/forms/0/fields/1"),
    ("options_on_text_field", ((*FIELDS, 4, "fields", 0, "options"), ["a"]),
     "/forms/0/fields/4/fields/0/options"),
    ("form_on_user_field", ((*FIELDS, 2, "form"), "customer"), "/forms/0/fields/2/form"),
    ("formula_on_decimal", ((*FIELDS, 4, "fields", 2, "formula"), "1"),
     "/forms/0/fields/4/fields/2/formula"),
    ("fields_on_date", ((*FIELDS, 3, "fields"), [{"name": "x", "type": "text"}]),
     "/forms/0/fields/3/fields"),
    ("nested_table", ((*FIELDS, 4, "fields", 0),
                      {"name": "parts", "type": "table", "fields": [{"name": "p",
                                                                      "type": "text"}]}),
     "/forms/0/fields/4/fields/0/type"),
    ("table_without_fields", ((*FIELDS, 4, "fields"), DELETE), "/forms/0/fields/4"),
    ("formula_without_formula", ((*FIELDS, 5, "formula"), DELETE), "/forms/0/fields/5"),
    ("serial_without_seq", ((*FIELDS, 0, "pattern"), "SO-{date:%Y}"),
     "/forms/0/fields/0/pattern"),
    ("select_without_options", ((*FIELDS, 3, "type"), "select"), "/forms/0/fields/3"),
    ("select_empty_options", ((*FIELDS, 3),
                              {"name": "level", "type": "select", "options": []}),
     "/forms/0/fields/3/options"),
    ("select_mixed_options", ((*FIELDS, 3),
                              {"name": "level", "type": "select",
                               "options": [{"value": "a"}, "b"]}),
     "/forms/0/fields/3/options/1"),
    ("option_key_typo", ((*FIELDS, 3),
                         {"name": "level", "type": "select",
                          "options": [{"value": "a", "lable": "A"}]}),
     "/forms/0/fields/3/options/0"),
    ("precision_out_of_range", ((*FIELDS, 4, "fields", 2, "precision"), 11),
     "/forms/0/fields/4/fields/2/precision"),
    ("integer_min_not_integer", ((*FIELDS, 4, "fields", 1, "min"), 1.5),
     "/forms/0/fields/4/fields/1/min"),
    ("decimal_min_not_numeric", ((*FIELDS, 4, "fields", 2, "min"), "zero"),
     "/forms/0/fields/4/fields/2/min"),
    ("bad_formula_result", ((*FIELDS, 5, "result"), "money"), "/forms/0/fields/5/result"),
    ("accept_without_dot", ((*FIELDS, 6, "accept", 1), "jpg"),
     "/forms/0/fields/6/accept/1"),
    ("default_on_formula", ((*FIELDS, 5, "default"), 0), "/forms/0/fields/5/default"),
    ("default_unknown_variable", ((*FIELDS, 2, "default"), "$usr"),
     "/forms/0/fields/2/default"),
    ("default_wrong_type_for_date", ((*FIELDS, 3, "default"), "tomorrow"),
     "/forms/0/fields/3/default"),
    ("permission_read_true", ((*F, "permissions", "finance", "read"), True),
     "/forms/0/permissions/finance/read"),
    ("permission_unknown_value", ((*F, "permissions", "sales", "update"), "mine"),
     "/forms/0/permissions/sales/update"),
    ("permission_create_string", ((*F, "permissions", "sales", "create"), "own"),
     "/forms/0/permissions/sales/create"),
    ("permission_bad_role_name", ((*F, "permissions", "Sales"), {"read": "all"}),
     "/forms/0/permissions"),
    ("permission_where_typo", ((*F, "permissions", "finance", "read"), {"wher": "x"}),
     "/forms/0/permissions/finance/read"),
    ("page_size_500", ((*F, "list", "page_size"), 500), "/forms/0/list/page_size"),
    ("order_by_double_minus", ((*F, "list", "order_by"), "--created_at"),
     "/forms/0/list/order_by"),
    ("chart_type_donut", ((*F, "charts", 2, "type"), "donut"), "/forms/0/charts/2/type"),
    ("chart_bad_value", ((*F, "charts", 2, "value"), "sum(amount"),
     "/forms/0/charts/2/value"),
    ("bar_chart_without_group_by", ((*F, "charts", 2, "group_by"), DELETE),
     "/forms/0/charts/2"),
    ("number_chart_with_group_by", ((*F, "charts", 0, "group_by"), "stage"),
     "/forms/0/charts/0/group_by"),
    ("reminder_bad_offset", ((*F, "reminders", 0, "offset"), "-1 day"),
     "/forms/0/reminders/0/offset"),
    ("reminder_neither_notify_nor_transition", ((*F, "reminders", 0, "notify"), DELETE),
     "/forms/0/reminders/0"),
    ("workflow_missing_initial", ((*WF, "initial"), DELETE), "/forms/0/workflow"),
    ("bad_duration_3x", ((*REVIEW, "due"), "3x"), "/forms/0/workflow/stages/1/due"),
    ("signed_duration_for_due", ((*REVIEW, "remind_before"), "-4h"),
     "/forms/0/workflow/stages/1/remind_before"),
    ("remind_before_without_due", ((*REVIEW, "due"), DELETE),
     "/forms/0/workflow/stages/1"),
    ("recipient_with_two_keys", ((*REVIEW, "escalate", "notify", 0),
                                 {"role": "sales_manager", "user": "bob"}),
     "/forms/0/workflow/stages/1/escalate/notify/0"),
    ("recipient_unknown_kind", ((*REVIEW, "escalate", "notify", 0), {"group": "x"}),
     "/forms/0/workflow/stages/1/escalate/notify/0"),
    ("escalate_action_maybe", ((*REVIEW, "escalate", "action"), "maybe"),
     "/forms/0/workflow/stages/1/escalate/action"),
    ("escalate_action_and_transition", ((*REVIEW, "escalate"),
                                        {"action": "approve", "transition": "cancel"}),
     "/forms/0/workflow/stages/1/escalate/transition"),
    ("escalate_action_without_approval", ((*STAGES, 2, "escalate"), {"action": "approve"}),
     "/forms/0/workflow/stages/2"),
    ("step_empty_approvers", ((*STEPS, 0, "approvers"), []),
     "/forms/0/workflow/stages/1/approval/steps/0/approvers"),
    ("step_bad_mode", ((*STEPS, 0, "mode"), "majority"),
     "/forms/0/workflow/stages/1/approval/steps/0/mode"),
    ("step_cc_bad_recipient", ((*STEPS, 1, "cc"), ["finance"]),
     "/forms/0/workflow/stages/1/approval/steps/1/cc/0"),
    ("step_empty_when", ((*STEPS, 2, "when"), ""),
     "/forms/0/workflow/stages/1/approval/steps/2/when"),
    ("approval_without_rejected", ((*REVIEW, "approval", "rejected"), DELETE),
     "/forms/0/workflow/stages/1/approval"),
    ("approval_no_steps", ((*REVIEW, "approval", "steps"), []),
     "/forms/0/workflow/stages/1/approval/steps"),
    ("editable_star_string_in_list", ((*STAGES, 2, "editable"), ["*", "delivery_date"]),
     "/forms/0/workflow/stages/2/editable"),
    ("final_stage_editable", ((*STAGES, 4, "editable"), ["*"]),
     "/forms/0/workflow/stages/4/editable"),
    ("final_stage_with_due", ((*STAGES, 5, "due"), "1d"),
     "/forms/0/workflow/stages/5/due"),
    ("transition_bad_from", ((*TRANSITIONS, 0, "from"), "All"),
     "/forms/0/workflow/transitions/0/from"),
    ("transition_empty_from_list", ((*TRANSITIONS, 2, "from"), []),
     "/forms/0/workflow/transitions/2/from"),
    ("transition_bad_role", ((*TRANSITIONS, 0, "roles", 0), "$manager"),
     "/forms/0/workflow/transitions/0/roles/0"),
    ("transition_missing_to", ((*TRANSITIONS, 0, "to"), DELETE),
     "/forms/0/workflow/transitions/0"),
    ("transition_set_bad_field", ((*TRANSITIONS, 1, "set"), {"Shipped On": "today()"}),
     "/forms/0/workflow/transitions/1/set"),
    ("transition_set_expression_too_long", ((*TRANSITIONS, 1, "set", "shipped_on"),
                                            "1 + " * 600 + "1"),
     "/forms/0/workflow/transitions/1/set/shipped_on"),
    ("transition_create_without_form", ((*TRANSITIONS, 1, "create"), {"set": {}}),
     "/forms/0/workflow/transitions/1/create"),
    ("comment_required_string", ((*TRANSITIONS, 2, "comment_required"), "yes"),
     "/forms/0/workflow/transitions/2/comment_required"),
]


@pytest.mark.parametrize(
    "mutation, expected", [c[1:] for c in INVALID_CASES], ids=[c[0] for c in INVALID_CASES]
)
def test_invalid_document_reports_error_at_pointer(mutation, expected):
    doc = order_module()
    path, value = mutation
    if value is DELETE:
        _del(doc, path)
    else:
        _set(doc, path, value)
    pointers = error_pointers(doc)
    assert pointers == [expected], errors_text(doc)


@pytest.mark.parametrize(
    "path, value",
    [
        ((*REVIEW, "escalate", "notify", 0), {"user": "zhang.san"}),
        ((*REVIEW, "escalate", "notify", 0), {"field": "salesperson"}),
        ((*REVIEW, "escalate", "notify", 0), {"manager_of": "created_by"}),
        ((*TRANSITIONS, 2, "from"), "*"),
        ((*TRANSITIONS, 0, "roles"), ["sales", "$owner"]),
        ((*F, "permissions", "finance", "read"), {"where": "amount > 0"}),
        ((*F, "reminders", 0, "offset"), "+2h"),
        ((*F, "reminders", 0, "offset"), "30d"),
        ((*FIELDS, 4, "fields", 2, "min"), "0.01"),
        ((*FIELDS, 4, "fields", 2, "default"), 1.5),
        ((*FIELDS, 3, "default"), "2024-01-31"),
        ((*FIELDS, 1, "default"), None),
        ((*FIELDS, 4, "fields", 0, "default"), "$5 off"),
        ((*STAGES, 3, "escalate"), {"notify": [{"role": "sales"}]}),
        ((*STAGES, 3, "due"), "0d"),
    ],
)
def test_valid_variants(path, value):
    doc = order_module()
    if path[-1] == "escalate" and "due" not in doc["forms"][0]["workflow"]["stages"][3]:
        doc["forms"][0]["workflow"]["stages"][3]["due"] = "1w"
    _set(doc, path, value)
    assert errors_text(doc) == ""


def test_every_invalid_case_has_a_distinct_id_and_enough_cases():
    ids = [c[0] for c in INVALID_CASES]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 25


def test_field_type_enum_holds_every_spec_type():
    enum = SCHEMA["$defs"]["field_type"]["enum"]
    assert set(enum) >= {
        "text", "textarea", "integer", "decimal", "boolean", "date", "datetime", "select",
        "multiselect", "email", "phone", "url", "user", "link", "table", "formula",
        "serial", "file",
        "rollup",  # engine extension (docs/modules.md)
    }
    assert len(enum) == len(set(enum))
    assert enum[-3:] == ["formula", "serial", "rollup"]  # the computed types last
    assert "table" not in SCHEMA["$defs"]["table_field_type"]["enum"]
    assert "rollup" not in SCHEMA["$defs"]["table_field_type"]["enum"]
