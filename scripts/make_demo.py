"""Write configs/demo/demo.json: a demo company for `engine demo` (deterministic).

Users for every role; ~30 customers (some in the public pool), contacts and follow-ups;
~40 opportunities in every pipeline stage; ~25 orders in every order stage (some review
tasks overdue, some receivables overdue), payments and after-sales tickets. Dates are
relative (`$today±Nd`, `$at`), so the demo always looks current. Run after changing the
shipped configs: `python scripts/make_demo.py`.
"""

import json
import random
from decimal import Decimal
from pathlib import Path

rng = random.Random(20261123)
OUT = Path(__file__).resolve().parent.parent / "configs" / "demo" / "demo.json"

USERS = [
    {"name": "chenjing", "display_name": "陈静", "roles": ["general_manager"], "email": "chenjing@example.cn"},
    {
        "name": "liuyang",
        "display_name": "刘洋",
        "roles": ["sales_manager"],
        "manager": "chenjing",
        "email": "liuyang@example.cn",
    },
    {
        "name": "zhangwei",
        "display_name": "张伟",
        "roles": ["sales"],
        "manager": "liuyang",
        "email": "zhangwei@example.cn",
    },
    {
        "name": "wangfang",
        "display_name": "王芳",
        "roles": ["sales"],
        "manager": "liuyang",
        "email": "wangfang@example.cn",
    },
    {"name": "lina", "display_name": "李娜", "roles": ["sales"], "manager": "liuyang"},
    {"name": "zhaolei", "display_name": "赵磊", "roles": ["finance"], "email": "zhaolei@example.cn"},
    {"name": "sunli", "display_name": "孙丽", "roles": ["warehouse"]},
    {"name": "zhouqiang", "display_name": "周强", "roles": ["production"]},
]
SALES = ["zhangwei", "wangfang", "lina"]
CITIES = [
    "上海",
    "苏州",
    "杭州",
    "宁波",
    "无锡",
    "南京",
    "深圳",
    "东莞",
    "佛山",
    "青岛",
    "天津",
    "武汉",
    "成都",
    "合肥",
    "厦门",
]
WORDS = [
    "星辰",
    "恒锐",
    "精工",
    "华盛",
    "瑞丰",
    "鼎新",
    "宏达",
    "联创",
    "东方",
    "金石",
    "天成",
    "博远",
    "鸿运",
    "嘉禾",
    "汇通",
]
KINDS = [
    ("精密机械", "机械制造"),
    ("汽车配件", "汽车零部件"),
    ("电子科技", "电子电器"),
    ("化工", "化工"),
    ("新能源", "新能源"),
    ("医疗器械", "医疗器械"),
    ("食品", "食品饮料"),
    ("建材", "建筑建材"),
]
REGIONS = {
    "上海": "华东",
    "苏州": "华东",
    "杭州": "华东",
    "宁波": "华东",
    "无锡": "华东",
    "南京": "华东",
    "深圳": "华南",
    "东莞": "华南",
    "佛山": "华南",
    "青岛": "华北",
    "天津": "华北",
    "武汉": "华中",
    "成都": "西南",
    "合肥": "华东",
    "厦门": "华南",
}
# (name, unit, price, code, spec, category): the first eight are sold in the demo's deals
PRODUCTS = [
    ("工业控制器 IC-200", "台", 3200, "P-1001", "24V DC，16 路 I/O", "控制系统"),
    ("伺服电机 SM-750", "台", 1850, "P-2001", "750W，220V", "电机与驱动"),
    ("气动阀门 PV-40", "个", 420, "P-3001", "DN40，0.8MPa", "气动元件"),
    ("变频器 VF-15", "台", 5600, "P-2002", "15kW，380V", "电机与驱动"),
    ("传感器模组 SN-8", "套", 980, "P-4001", "8 通道，RS485", "传感器"),
    ("安装调试服务", "套", 2000, "S-9001", "现场 1 人天", "技术服务"),
    ("数控机床 CNC-600", "台", 86000, "P-5001", "行程 600mm，三轴", "数控设备"),
    ("自动化产线 AL-1", "套", 168000, "P-6001", "装配线，8 工位", "成套产线"),
]
CATALOGUE = PRODUCTS + [
    ("工业控制器 IC-100", "台", 2100, "P-1002", "24V DC，8 路 I/O", "控制系统"),
    ("触摸屏 HMI-7", "台", 1450, "P-1003", "7 英寸，以太网", "控制系统"),
    ("伺服电机 SM-1500", "台", 2980, "P-2003", "1.5kW，220V", "电机与驱动"),
    ("气缸 CY-32", "个", 260, "P-3002", "缸径 32mm，行程 100mm", "气动元件"),
    ("压力传感器 PS-10", "个", 680, "P-4002", "0–10 bar，4–20mA", "传感器"),
    ("培训服务", "套", 3000, "S-9002", "2 天，10 人以内", "技术服务"),
    ("气动阀门 PV-25（停产）", "个", 360, "P-3000", "DN25，0.8MPa", "气动元件"),
]


def products():
    return [
        {"$as": "liuyang", "$at": "$now-90d", "code": code, "name": name, "spec": spec, "unit": unit,
         "price": f"{price}.00", "category": category, "enabled": "停产" not in name}
        for name, unit, price, code, spec, category in CATALOGUE
    ]


def line(product, qty, discount=None):
    """An order or quotation line of a catalogue product at its list price."""
    return {"product": {"$ref": f"product:{product[0]}"}, "spec": product[4], "unit": product[1],
            "qty": qty, "price": f"{product[2]}.00", "discount": discount or 0}


def customers():
    out, names = [], []
    for i in range(30):
        city = CITIES[i % len(CITIES)]
        kind, industry = KINDS[i % len(KINDS)]
        name = f"{city}{WORDS[i % len(WORDS)]}{kind}有限公司"
        owner = SALES[i % 3]
        row = {
            "$as": owner,
            "$at": f"$now-{60 - i}d",
            "name": name,
            "grade": rng.choice("AABBBCC"),
            "industry": industry,
            "source": rng.choice(["展会", "网络推广", "官网咨询", "老客户介绍", "电话营销"]),
            "region": REGIONS[city],
            "phone": f"13{rng.randrange(10**9):09d}",
            "owner": owner,
            "address": f"{city}市{rng.choice(['人民路', '科技大道', '工业园路', '金桥路'])}{rng.randrange(1, 999)}号",
            "payment_terms": rng.choice(["款到发货", "月结30天", "月结60天"]),
            "next_follow_up": f"$today{rng.choice(['+1d', '+1d', '+2d', '+5d', '+9d', '-3d', '+14d'])}",
        }
        if i >= 26:
            row["$do"] = ["release"]  # in the public pool
        out.append(row)
        names.append((name, owner))
    return out, names


def contacts(names):
    surnames, given = "王李张刘陈杨黄赵吴周", "伟芳娜敏静丽强磊军洋"
    return [
        {
            "$as": owner,
            "customer": {"$ref": f"customer:{name}"},
            "name": surnames[i % 10] + given[(i * 3) % 10],
            "title": rng.choice(["采购经理", "总经理", "设备主管", "技术总监"]),
            "mobile": f"139{rng.randrange(10**8):08d}",
            "is_primary": True,
            "owner": owner,
        }
        for i, (name, owner) in enumerate(names[:26])
    ]


def follow_ups(names):
    topics = [
        ("电话沟通年度采购计划", "电话", "客户对新品感兴趣，约定下周发送报价。"),
        ("上门拜访演示样机", "拜访", "演示了样机，技术总监提出两点改进意见。"),
        ("微信发送报价单", "微信", "已发送报价，客户在内部审批。"),
        ("邮件确认交期", "邮件", "确认了交期和付款方式。"),
    ]
    out = []
    for i, (name, owner) in enumerate(names[:26]):
        subject, method, content = topics[i % 4]
        out.append(
            {
                "$as": owner,
                "$at": f"$now-{rng.randrange(1, 20)}d",
                "subject": subject,
                "customer": {"$ref": f"customer:{name}"},
                "method": method,
                "content": content,
                "next_follow_up": f"$today+{rng.randrange(1, 12)}d",
            }
        )
    return out


PIPELINE = [
    ([], 8),
    (["confirm_needs"], 8),
    (["confirm_needs", "quote"], 8),
    (["confirm_needs", "quote", "negotiate"], 6),
    (["confirm_needs", "quote", "negotiate"], 6),  # won once their quotation is accepted (actions)
    (["lose"], 4),
]
# What happens to the quotation `quote` created, by pipeline group: (discount %, quotation steps).
# Proposals: drafts, one waiting for the manager (discount above 10 %), one approved by itself, one
# voided; negotiations: approved; wins: approved, then the opportunity is won with it.
QUOTE_PLANS = {
    2: [(0, []), (5, []), (12, ["submit"]), (15, ["submit"]), (5, ["submit"]), (0, ["submit"]),
        (8, ["submit", "$approve", "void"]), (0, [])],
    3: [(5, ["submit", "$approve"]), (12, ["submit", "$approve"]), (0, ["submit", "$approve"]),
        (8, ["submit", "$approve"]), (15, ["submit", "$approve"]), (3, ["submit", "$approve"])],
    4: [(5, ["submit", "$approve"]), (12, ["submit", "$approve"]), (0, ["submit", "$approve"]),
        (10, ["submit", "$approve"]), (6, ["submit", "$approve"]), (0, ["submit", "$approve"])],
}


def opportunities(names, mobiles):
    """Opportunities in every pipeline stage; `quote` made a quotation for each from 方案报价 on,
    which the actions fill with lines and take through approval (some won with it)."""
    out, actions, i = [], [], 0
    for group, (steps, count) in enumerate(PIPELINE):
        for k in range(count):
            name, owner = names[i % 26]
            product = PRODUCTS[i % len(PRODUCTS)]
            qty = rng.randrange(2, 12)
            age = rng.randrange(6, 40)
            title = f"{name[:4]}{product[0].split()[0]}采购项目{i + 1:02d}"
            row = {
                "$as": owner,
                "$at": f"$now-{age}d",
                "$do": steps,
                "title": title,
                "customer": {"$ref": f"customer:{name}"},
                "owner": owner,
                "expected_amount": str(product[2] * qty),
                "expected_close_date": f"$today+{rng.randrange(5, 90)}d",
                "source": rng.choice(["展会", "老客户介绍", "网络推广"]),
            }
            if name in mobiles:  # the customer's contact (customers 27-30 have none)
                row["contact"] = {"$ref": f"contact:mobile={mobiles[name]}"}
            if "lose" in steps:
                row["lost_reason"] = rng.choice(["价格过高", "选择竞品", "预算不足"])
            out.append(row)
            if group in QUOTE_PLANS:
                discount, quote_steps = QUOTE_PLANS[group][k]
                lines = [line(product, qty, discount)]
                if k % 2 == 0:
                    lines.append(line(PRODUCTS[5], rng.randrange(1, 4)))  # installation with the goods
                quote = {"$ref": f"quotation:project={title}"}
                actions.append({"form": "quotation", "record": quote, "$as": owner, "$at": f"$now-{age - 1}d",
                                "set": {"items": lines, "valid_until": f"$today+{rng.randrange(2, 30)}d",
                                        "payment_terms": rng.choice(["款到发货", "月结30天", "月结60天"]),
                                        "delivery_terms": "合同签订后 30 天内送货上门，运费由我方承担"},
                                "$do": quote_steps})
                if group == 4:
                    actions.append({"form": "opportunity", "record": {"$ref": f"opportunity:{title}"},
                                    "$as": owner, "$at": f"$now-{age - 2}d", "set": {"quotation": quote},
                                    "$do": ["win"]})
            i += 1
    return out, actions


ORDER_FLOW = ["submit", "$approve", "start_production", "ship", "request_invoice", "invoiced", "complete"]
ORDER_STAGES = [
    ("draft", 0, 3),
    ("review", 1, 4),
    ("scheduling", 2, 3),
    ("production", 3, 3),
    ("shipped", 4, 3),
    ("invoicing", 5, 2),
    ("collecting", 6, 4),
    ("done", 7, 3),
]


def money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def offset(days: int) -> str:
    """`$today±Nd` for a day `days` from today."""
    return f"$today{'+' if days >= 0 else '-'}{abs(days)}d"


def orders(names):
    """Orders in every stage, each consistent with the way it got there: a carrier and
    tracking number only once shipped, an invoice only once invoiced, part paid while
    collecting, paid in full (then completed, after the payments) when done."""
    out, payments, tickets, actions, i = [], [], [], [], 0
    for stage, steps, count in ORDER_STAGES:
        for k in range(count):
            name, owner = names[(i * 7) % 26]
            lines = []
            for p in rng.sample(PRODUCTS[:6], rng.randrange(1, 4)):
                lines.append(line(p, rng.randrange(1, 10)))
            if i % 6 == 2:
                lines.append(line(PRODUCTS[6], 1))  # ≥ 50,000
            if i == 9:
                lines.append(line(PRODUCTS[7], 1))  # ≥ 200,000
            total = sum(Decimal(row["price"]) * row["qty"] for row in lines)
            days_ago = {"review": 2 if k < 2 else 0}.get(stage, 30 - i)
            marker = f"演示订单{i + 1:02d}"
            flow = ORDER_FLOW[:steps]
            row = {
                "$as": owner,
                "$at": f"$now-{max(days_ago, 0)}d",
                "$do": [s for s in flow if s != "complete"],  # completed after its payments (actions)
                "customer": {"$ref": f"customer:{name}"},
                "salesperson": owner,
                "order_date": offset(-days_ago),
                "delivery_date": offset(rng.choice([10, 20, 30]) - days_ago),
                "payment_terms": rng.choice(["款到发货", "月结30天", "月结60天"]),
                "items": lines,
                "remark": marker,
            }
            if "ship" in flow:
                row.update(carrier=rng.choice(["顺丰速运", "德邦物流", "中通快运"]),
                           tracking_no=f"SF{rng.randrange(10**11):011d}")
            if "invoiced" in flow:
                row.update(invoice_no=f"FP{2026}{i + 1:04d}",
                           payment_due="$today-5d" if stage == "collecting" and k < 2
                           else offset(rng.randrange(5, 40)))
            if stage == "production" and k == 0:
                row.update(
                    has_exception=True, exception_reason="供应商电机延期到货", exception_resolution="已协调备用供应商"
                )
            out.append(row)
            order_ref = {"$ref": f"sales_order:remark={marker}"}
            if stage == "collecting":  # about a third paid so far
                paid = rng.randrange(1, days_ago)
                payments.append({"$as": "zhaolei", "$at": f"$now-{paid}d", "order": order_ref,
                                 "amount": money(total * Decimal("0.3")), "paid_on": offset(-paid),
                                 "method": "银行转账"})
            if stage == "done":  # paid in two parts after the invoice, then completed
                first = money(total * Decimal("0.3"))
                for part, paid in ((first, days_ago - 1), (money(total - Decimal(first)), days_ago - 3)):
                    payments.append({"$as": "zhaolei", "$at": f"$now-{paid}d", "order": order_ref,
                                     "amount": part, "paid_on": offset(-paid), "method": "银行转账"})
                actions.append({"form": "sales_order", "record": order_ref, "$at": f"$now-{days_ago - 4}d",
                                "$do": ["complete"]})
            if stage in ("shipped", "done") and k == 0:
                tickets.append(
                    {
                        "$as": owner,
                        "order": order_ref,
                        "customer": {"$ref": f"customer:{name}"},
                        "issue_type": "物流破损",
                        "description": "到货时外箱破损，一台设备面板划伤。",
                        "severity": "中",
                        "handler": owner,
                    }
                )
            i += 1
    for k in range(2):  # cancelled
        name, owner = names[k + 3]
        out.append(
            {
                "$as": owner,
                "$do": ["cancel"],
                "customer": {"$ref": f"customer:{name}"},
                "salesperson": owner,
                "order_date": "$today-3d",
                "delivery_date": "$today+20d",
                "items": [line(PRODUCTS[2], 5)],
                "remark": f"演示订单（已取消）{k + 1}",
            }
        )
    return out, payments, tickets, actions


def main():
    custs, names = customers()
    order_rows, payments, tickets, actions = orders(names)
    people = contacts(names)
    deals, quote_actions = opportunities(names, {row["customer"]["$ref"][9:]: row["mobile"] for row in people})
    doc = {
        "users": USERS,
        "records": {
            "product": products(),
            "customer": custs,
            "contact": people,
            "follow_up": follow_ups(names),
            "opportunity": deals,
            "sales_order": order_rows,
            "payment": payments,
            "after_sales": tickets,
        },
        "actions": quote_actions + actions,
    }
    OUT.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}: " + ", ".join(f"{len(v)} {k}" for k, v in doc["records"].items()))


if __name__ == "__main__":
    main()
