"""The review words a link's choices and copies as the designer shows them, in both languages: a
copy (`fill`) as 带出 收货人 ← 姓名, a choice filter as 只可选择 客户 = 客户, `where` with the linked
form's labels and `fill_mode` by name; a transition's created record field by field, a copied
table as the rows it copies; never the raw keys or arrays."""
from __future__ import annotations

import json

from engine.definitions import load_sources
from engine.definitions.diff import summarize, texts
from engine.i18n import speaking
from tests.conftest import SHIPPED


def review(mutate, language):
    before = {p.name: p.read_text(encoding="utf-8") for p in SHIPPED.glob("*.json")}
    docs = {name: json.loads(text) for name, text in before.items()}
    order = next(f for f in docs["order_followup.json"]["forms"] if f["name"] == "sales_order")
    mutate({f["name"]: f for f in order["fields"]})
    opportunity = next(f for f in docs["crm.json"]["forms"] if f["name"] == "opportunity")
    win = next(t for t in opportunity["workflow"]["transitions"] if t["name"] == "win")
    win["create"]["set"]["items"] = {"from": "quotation.items", "set": {"discount": "0"}}
    del win["create"]["set"]["remark"]
    win["create"]["set"]["delivery_date"] = "today() + 7"
    after = {name: json.dumps(doc, ensure_ascii=False, indent=2) + "\n" for name, doc in docs.items()}
    with speaking(language):
        return texts(summarize(load_sources(before), load_sources(after)))


def mutate(fields):
    contact = fields["contact"]
    contact["fill"]["remark"] = "title"  # added
    del contact["fill"]["receiver_phone"]  # removed
    contact["fill"]["receiver"] = "email"  # changed
    contact["fill_mode"] = "sync"
    contact["where"] = "is_primary == true"
    fields["quotation"]["filter"] = {"customer": "customer", "salesperson": "salesperson"}
    del fields["opportunity"]["filter"]


def test_link_settings_read_in_chinese():
    lines = review(mutate, "zh_CN")
    for line in ("销售订单：字段 联系人 新增带出 备注 ← 职位", "销售订单：字段 联系人 删除带出 收货电话 ← 手机",
                 "销售订单：字段 联系人 带出 收货人 ← 姓名 → 邮箱",
                 "销售订单：字段 联系人 的带出方式 只带出一次 → 随关联记录更新",
                 "销售订单：字段 联系人 只可选择满足条件的记录 （无） → 主要联系人 == true",
                 "销售订单：字段 报价单 新增只可选择 销售 = 销售",
                 "销售订单：字段 来源商机 删除只可选择 客户 = 客户",
                 "商机：流转 赢单 新建的销售订单的订单明细 成交报价单.报价明细 的行 → "
                 "成交报价单.报价明细 的行，折扣（%） = 0",
                 "商机：流转 赢单 新建的销售订单的备注 商机名称 → （无）",
                 "商机：流转 赢单 新建的销售订单的交货日期 （无） → today() + 7"):
        assert line in lines, lines
    assert not any("[[" in line or "fill" in line or "filter" in line for line in lines), lines


def test_link_settings_read_in_english():
    lines = review(mutate, "en")
    for line in ("Sales order: field Contact: added copy Remarks ← Position",
                 "Sales order: field Contact: removed copy Receiver's phone ← Mobile",
                 "Sales order: field Contact: copy Receiver ← Name → E-mail",
                 "Sales order: field Contact: copies copied once → copies follow the linked record",
                 "Sales order: field Contact: choices only where (none) → Primary contact == true",
                 "Sales order: field Quotation: added choose only Salesperson = Salesperson",
                 "Sales order: field Opportunity: removed choose only Customer = Customer",
                 "Opportunity: transition Win: the new Sales order's Order lines: the rows of Winning "
                 "quotation.Quotation lines → the rows of Winning quotation.Quotation lines with Discount (%) = 0",
                 "Opportunity: transition Win: the new Sales order's Remarks: Opportunity name → (none)",
                 "Opportunity: transition Win: the new Sales order's Delivery date: (none) → today() + 7"):
        assert line in lines, lines
