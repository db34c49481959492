"""Ask, don't fail in the browser (issue #14, points 3 and 6): the shipped order's 发货 (ship) requires
承运商 and 物流单号; the warehouse clicks it and a dialog asks for exactly those (and a comment), on a
desktop and on a 375 px phone: an error shows next to its field with everything typed kept, then the
order ships. On the board a card dragged to another stage fires the transition (asking when needed);
a move no action makes snaps back with the reason."""
from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from engine.auth.users import SYSTEM_USER
from engine.records.context import open_context
from engine.services.records import create_record
from tests.conftest import db_url  # noqa: F401  (both databases, issue #14)
from tests.e2e.conftest import DESKTOP, PHONE, SCREENSHOTS, pick


@pytest.fixture
def shop(live, make_app, tmp_path):
    """The `live` app (shipped modules; lisa the sales manager, zhouqiang the warehouse) with a customer
    and orders by stage; → (base URL, {stage: [order ids]})."""
    app = make_app(tmp_path / "configs")  # the same database as the one served
    state = app.extensions["engine"]
    orders: dict[str, list[int]] = {}
    with open_context(state.db, state.runtime(), SYSTEM_USER, tzinfo=ZoneInfo("Asia/Shanghai"), write=True) as ctx:
        customer = create_record(ctx, "customer", {"name": "华东机械有限公司"}, system=True)["id"]
        table = ctx.runtime.tables("sales_order").table
        for stage in ("draft", "scheduling", "production", "production"):
            made = create_record(ctx, "sales_order", {"customer": customer, "remark": stage}, system=True)["id"]
            ctx.session.execute(update(table).where(table.c.id == made).values(stage=stage))
            orders.setdefault(stage, []).append(made)
    return live, orders


def shoot_view(page, name: str) -> None:
    """docs/screenshots/<name>.png: what the screen shows (a modal dialog over the page)."""
    page.wait_for_timeout(150)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def ask_and_ship(page, base: str, order: int, shot: str) -> None:
    page.goto(f"{base}/f/sales_order/{order}")
    page.click("[data-transition=ship]")
    dialog = page.locator("dialog#ask-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("[data-field-block]")).to_have_count(3)  # 承运商, 物流单号 and the comment
    expect(dialog.locator("[data-field-block=remark]")).to_have_count(0)
    dialog.locator("#carrier").fill("顺丰速运")
    dialog.locator("#ask-comment").fill("易碎品，轻放")
    dialog.locator("[data-testid=ask-submit]").click()
    error = dialog.locator("[data-field-block=tracking_no] .invalid-feedback")
    expect(error).to_be_visible()
    expect(dialog.locator("#carrier")).to_have_value("顺丰速运")  # nothing typed is lost
    expect(dialog.locator("#ask-comment")).to_have_value("易碎品，轻放")
    shoot_view(page, shot)
    dialog.locator("#tracking_no").fill("SF1234567890")
    dialog.locator("[data-testid=ask-submit]").click()
    expect(page.locator("[data-testid=stage]")).to_have_text("已发货")
    expect(page.locator("[data-value=tracking_no]")).to_contain_text("SF1234567890")
    expect(page.locator("[data-testid=history]")).to_contain_text("易碎品，轻放")


def test_ship_asks_for_carrier_and_tracking_number_on_a_desktop(open_page, shop, log_in):
    base, orders = shop
    page = open_page(viewport=DESKTOP)
    log_in(page, base, "zhouqiang")
    ask_and_ship(page, base, orders["production"][0], "ask-form")
    assert page.js_errors == []


def test_ship_asks_on_a_phone(open_page, shop, log_in):
    base, orders = shop
    page = open_page(viewport=PHONE)
    log_in(page, base, "zhouqiang")
    ask_and_ship(page, base, orders["production"][1], "ask-form-phone")
    width = page.evaluate("document.querySelector('dialog#ask-dialog') && document.documentElement.scrollWidth")
    assert width in (None, 375)
    assert page.js_errors == []


def drag(page, card, column) -> None:
    box = card.bounding_box()
    target = column.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 10)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 20, box["y"] + 30, steps=4)
    page.mouse.move(target["x"] + target["width"] / 2, target["y"] + 80, steps=8)
    page.mouse.up()


def test_board_drag_fires_the_transition_or_snaps_back_with_the_reason(open_page, shop, log_in, shoot):
    base, orders = shop
    page = open_page(viewport=DESKTOP)
    log_in(page, base, "lisa")
    page.goto(f"{base}/f/sales_order?view=board")
    scheduled = page.locator(f".board-card[data-record-id='{orders['scheduling'][0]}']")
    production = page.locator(".board-column[data-stage=production]")
    expect(production.locator("[data-count]")).to_have_text("2")
    drag(page, scheduled, production)  # 开始生产 (start_production): nothing to ask
    expect(production.locator(f".board-card[data-record-id='{orders['scheduling'][0]}']")).to_be_visible()
    expect(production.locator("[data-count]")).to_have_text("3")
    expect(page.locator(".board-column[data-stage=scheduling] [data-count]")).to_have_text("0")
    draft = page.locator(f".board-card[data-record-id='{orders['draft'][0]}']")
    drag(page, draft, page.locator(".board-column[data-stage=done]"))  # no action leads there
    message = page.locator("[data-testid=board-message]")
    expect(message).to_be_visible()
    expect(message).to_contain_text("草稿")
    expect(page.locator(".board-column[data-stage=draft]").locator(
        f".board-card[data-record-id='{orders['draft'][0]}']")).to_be_visible()
    expect(page.locator(".board-column[data-stage=done] [data-count]")).to_have_text("0")
    page.wait_for_timeout(300)  # the snap back ends
    shoot(page, "board-drag")
    assert page.js_errors == []
    # the moved card moves again (it took the record's new version): 取消订单 asks for a comment
    drag(page, production.locator(f".board-card[data-record-id='{orders['scheduling'][0]}']"),
         page.locator(".board-column[data-stage=cancelled]"))
    dialog = page.locator("dialog#ask-dialog")
    dialog.locator("#ask-comment").fill("客户取消")
    dialog.locator("[data-testid=ask-submit]").click()
    expect(page.locator(".board-column[data-stage=cancelled]").locator(
        f".board-card[data-record-id='{orders['scheduling'][0]}']")).to_be_visible()
    expect(production.locator("[data-count]")).to_have_text("2")
    # both moves were made on the server, with the comment
    page.goto(f"{base}/f/sales_order/{orders['scheduling'][0]}")
    expect(page.locator("[data-testid=stage]")).to_have_text("已取消")
    history = page.locator("[data-testid=history]")
    expect(history).to_contain_text("生产中")
    expect(history).to_contain_text("客户取消")


def test_board_drag_into_a_stage_that_asks_opens_the_dialog(open_page, shop, log_in):
    base, orders = shop
    page = open_page(viewport=DESKTOP)
    log_in(page, base, "zhouqiang")
    page.goto(f"{base}/f/sales_order?view=board")
    order = orders["production"][0]
    drag(page, page.locator(f".board-card[data-record-id='{order}']"),
         page.locator(".board-column[data-stage=shipped]"))
    dialog = page.locator("dialog#ask-dialog")
    expect(dialog).to_be_visible()
    dialog.locator("#carrier").fill("EMS")
    dialog.locator("#tracking_no").fill("EA1")
    dialog.locator("[data-testid=ask-submit]").click()
    expect(page.locator(".board-column[data-stage=shipped]").locator(
        f".board-card[data-record-id='{order}']")).to_be_visible()
    expect(page.locator(".board-column[data-stage=shipped] [data-count]")).to_have_text("1")
    assert page.js_errors == []


def touch_drag(page, grip, column) -> None:
    """A finger on the card's grip, moved onto another column (touch events through the DevTools protocol)."""
    session = page.context.new_cdp_session(page)
    box, target = grip.bounding_box(), column.bounding_box()
    start = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    end = (target["x"] + target["width"] / 2, target["y"] + 60)

    def touch(kind: str, x: float, y: float) -> None:
        points = [] if kind == "touchEnd" else [{"x": x, "y": y}]
        session.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})
    touch("touchStart", *start)
    for step in range(1, 11):
        touch("touchMove", start[0] + (end[0] - start[0]) * step / 10, start[1] + (end[1] - start[1]) * step / 10)
    touch("touchEnd", *end)


def test_board_drag_by_touch_on_a_phone(chromium, shop, log_in):
    base, orders = shop
    context = chromium.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai", has_touch=True,
                                   is_mobile=True)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        log_in(page, base, "lisa")
        page.goto(f"{base}/f/sales_order?view=board")
        order = orders["scheduling"][0]
        card = page.locator(f".board-card[data-record-id='{order}']")
        card.scroll_into_view_if_needed()
        column = page.locator(".board-column[data-stage=production]")
        touch_drag(page, card.locator("[data-grip]"), column)
        expect(column.locator(f".board-card[data-record-id='{order}']")).to_be_visible()
        expect(column.locator("[data-count]")).to_have_text("3")
    finally:
        context.close()


def test_submit_asks_for_the_delivery_date_and_the_lines_on_a_phone(open_page, live, create_customer):
    """A required table is asked as the record form has it: rows added in the dialog (not in the
    record page's table behind it), a link picker in a row, the catalogue's price filled."""
    sales = open_page("zhangwei", viewport=PHONE)
    create_customer(sales, live, "上海星辰科技有限公司")
    sales.goto(f"{live}/f/sales_order/new")
    pick(sales, "customer", "上海星辰科技有限公司")
    sales.click("[data-testid=save]")
    sales.click("[data-transition=submit]")
    dialog = sales.locator("dialog#ask-dialog")
    expect(dialog.locator("[data-field-block]")).to_have_count(3)  # 交货日期, 订单明细 and the comment
    dialog.locator("[name=delivery_date]").fill("2030-01-01")
    dialog.locator("[data-add-row=items]").click()
    pick(sales, "items-0-product", "伺服电机")
    dialog.locator("[name=items-0-qty]").fill("2")
    dialog.locator("[data-testid=ask-submit]").click()
    expect(sales.locator("[data-testid=stage]")).to_have_text("订单评审")
    expect(sales.locator("table[data-table=items]")).to_contain_text("伺服电机")
    assert sales.js_errors == []
