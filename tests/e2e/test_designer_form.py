"""The form designer in a browser: an admin who has never seen JSON adds a 微信号 text field and a
客户来源 select with three options to the customer form by dragging from the palette, makes the select
required, and the draft is saved (the designer API shows it; the definitions in use stay as they
were). With a mouse at 1280 px and by touch on a 768 px tablet. Runs on SQLite and PostgreSQL: the
draft is stored in the database."""
from __future__ import annotations

import json

from playwright.sync_api import expect

# the designer's drafts live in the database: these browser tests run on both backends
from tests.conftest import SHIPPED, db_url  # noqa: F401
from tests.e2e.conftest import DESKTOP

TABLET = {"width": 768, "height": 1024}
# a label's Chinese text, whether it is a string or {"zh-CN", "en"} (the shipped modules carry both)
ZH = "(t => (t && typeof t === 'object' ? t['zh-CN'] : t))"


LABELS = "window.designerStore.sources['crm.json'].forms[0].fields.map(f => " + ZH + "(f.label))"


def zh(text):
    return text["zh-CN"] if isinstance(text, dict) else text
SHIPPED_CRM = json.loads((SHIPPED / "crm.json").read_text(encoding="utf-8"))


def _center(locator) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def drag_with_mouse(page, source, x: float, y: float) -> None:
    sx, sy = _center(source)
    page.mouse.move(sx, sy)
    page.mouse.down()
    page.mouse.move(sx + 10, sy + 10, steps=3)
    page.mouse.move(x, y, steps=15)
    expect(page.locator("[data-testid=drop-indicator]")).to_be_visible()
    page.mouse.up()


def drag_with_finger(page, source, x: float, y: float) -> None:
    """A real touch drag (touchstart, touchmove..., touchend): Chromium turns it into pointer events
    of type "touch", as a tablet's browser does."""
    cdp = page.context.new_cdp_session(page)
    sx, sy = _center(source)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": sx, "y": sy}]})
    for i in range(1, 16):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [
            {"x": sx + (x - sx) * i / 15, "y": sy + (y - sy) * i / 15}]})
        page.wait_for_timeout(15)
    expect(page.locator("[data-testid=drop-indicator]")).to_be_visible()
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def open_designer(page, base: str) -> None:
    page.goto(f"{base}/admin/designer")
    expect(page.locator("#designer[data-ready=true]")).to_be_visible()
    expect(page.locator("section[data-tab=form]")).to_have_attribute("data-form", "customer")


def commit(page, testid: str, text: str) -> None:
    """Type into a property box and leave it (Enter), as a person does."""
    box = page.locator(f"[data-testid={testid}]")
    box.fill(text)
    box.press("Enter")
    page.wait_for_function("() => window.designerStore.status !== 'clean'")


def card(page, label: str):
    return page.locator("[data-testid=canvas-fields] > [data-field-card]").filter(
        has=page.locator(".dz-field-label", has_text=label))


def add_wechat_and_source(page, drag, target_for) -> None:
    # 微信号: a text field
    drag(page, page.locator("[data-testid=palette-text]"), *target_for(page))
    expect(page.locator("[data-testid=props]")).to_be_visible()
    commit(page, "prop-label", "微信号")
    commit(page, "prop-name", "wechat")
    expect(card(page, "微信号")).to_have_count(1)
    # 客户来源: a select with three options, required
    drag(page, page.locator("[data-testid=palette-select]"), *target_for(page))
    commit(page, "prop-label", "客户来源")
    commit(page, "option-value-0", "展会")
    commit(page, "option-value-1", "转介绍")
    page.click("[data-testid=option-add]")
    commit(page, "option-value-2", "网络推广")
    page.check("[data-testid=prop-required]")
    new_source = page.locator("[data-field-card][aria-pressed=true]")
    expect(new_source.locator(".dz-field-label")).to_have_text("客户来源 *")
    expect(new_source.locator("select option")).to_have_text(["请选择…", "展会", "转介绍", "网络推广"])


def assert_draft_saved(page, base: str) -> list[dict]:
    page.wait_for_function("() => window.designerStore.status === 'saved'", timeout=15_000)
    expect(page.locator("[data-testid=designer-status]")).to_contain_text("草稿已保存")
    state = page.request.get(f"{base}/api/admin/designer").json()
    fields = state["draft"]["sources"]["crm.json"]["forms"][0]["fields"]
    wechat = [f for f in fields if f.get("label") == "微信号"]
    assert wechat == [{"name": "wechat", "type": "text", "label": "微信号"}]
    source = [f for f in fields if f.get("label") == "客户来源" and f["name"] != "source"]
    assert source == [{"name": source[0]["name"], "type": "select", "label": "客户来源",
                       "options": ["展会", "转介绍", "网络推广"], "required": True}]
    assert source[0]["name"].startswith("field_")
    # the definitions in use are untouched: the live docs, and the form staff fill in
    assert state["files"]["crm.json"] == SHIPPED_CRM
    assert state["draft"]["problems"] == []
    page.goto(f"{base}/f/customer/new")
    expect(page.locator("#name")).to_be_visible()
    assert "微信号" not in page.content()
    return fields


def test_admin_adds_fields_by_dragging_with_a_mouse(open_page, live, shoot):
    page = open_page("admin", viewport=DESKTOP)
    open_designer(page, live)

    def after_last(page):  # the lower half of the last card: the drop goes after it
        page.wait_for_function("() => window.designerStore.status !== 'pending'")
        last = page.locator("[data-testid=canvas-fields] > [data-field-card]").last
        # in the middle of the window: near its edges a drag scrolls the page
        last.evaluate("card => card.scrollIntoView({block: 'center', behavior: 'instant'})")
        box = last.bounding_box()
        return box["x"] + box["width"] / 2, box["y"] + box["height"] - 6

    add_wechat_and_source(page, drag_with_mouse, after_last)
    names = page.evaluate(LABELS)
    assert names[-2:] == ["微信号", "客户来源"]
    # keyboard: the selected card moves up with Alt+↑, undo puts it back
    selected = page.locator("[data-field-card][aria-pressed=true]")
    selected.focus()
    selected.press("Alt+ArrowUp")
    names = page.evaluate(LABELS)
    assert names[-2:] == ["客户来源", "微信号"]
    page.click("[data-testid=designer-undo]")
    names = page.evaluate(LABELS)
    assert names[-2:] == ["微信号", "客户来源"]
    card(page, "客户来源").last.click()
    page.wait_for_function("() => window.designerStore.status === 'saved'", timeout=15_000)
    page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")
    page.mouse.move(0, 0)  # no card under the pointer: its buttons show on hover
    shoot(page, "designer-form")
    fields = assert_draft_saved(page, live)
    assert [zh(f["label"]) for f in fields][-2:] == ["微信号", "客户来源"]
    assert page.js_errors == []


def test_admin_adds_fields_by_touch_on_a_tablet(chromium, live, log_in, shoot):
    context = chromium.new_context(viewport=TABLET, has_touch=True, locale="zh-CN", timezone_id="Asia/Shanghai")
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        log_in(page, live, "admin")
        open_designer(page, live)
        # targets of at least 44 px for fingers
        for testid in ("palette-text", "palette-select"):
            assert page.locator(f"[data-testid={testid}]").bounding_box()["height"] >= 44

        def before_third(page):  # the upper part of the third card: the drop goes before it
            page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")
            third = page.locator("[data-testid=canvas-fields] > [data-field-card]").nth(2)
            box = third.bounding_box()
            return box["x"] + 10, box["y"] + 8

        add_wechat_and_source(page, drag_with_finger, before_third)
        labels = page.evaluate(LABELS)
        assert labels[:4] == ["客户名称", "客户等级", "客户来源", "微信号"]
        page.wait_for_function("() => window.designerStore.status === 'saved'", timeout=15_000)
        page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")
        shoot(page, "designer-form-tablet")
        fields = assert_draft_saved(page, live)
        assert [zh(f["label"]) for f in fields][2:4] == ["客户来源", "微信号"]
        assert errors == []
    finally:
        context.close()


def test_a_column_is_dragged_into_a_line_item_table(open_page, live):
    page = open_page("admin", viewport=DESKTOP)
    open_designer(page, live)
    order = page.locator("[data-testid=form-picker] option[data-form=sales_order]")
    page.select_option("[data-testid=form-picker]", value=order.get_attribute("value"))
    columns = page.locator("[data-testid=table-columns]").first
    columns.evaluate("row => row.scrollIntoView({block: 'center', behavior: 'instant'})")
    before = columns.locator("[data-testid=column-card]").count()
    first = columns.locator("[data-testid=column-card]").first
    box = first.bounding_box()
    drag_with_mouse(page, page.locator("[data-testid=palette-integer]"), box["x"] + 5, box["y"] + box["height"] / 2)
    expect(columns.locator("[data-testid=column-card]")).to_have_count(before + 1)
    table = page.evaluate("""() => { const s = window.designerStore;
        const f = s.findForm('sales_order'); return f.form.fields.find(x => Array.isArray(x.fields)).fields; }""")
    assert table[0]["type"] == "integer" and table[0]["name"].startswith("field_")
    # a click on a column selects the column, not its table; ← → move it within the row
    columns.locator("[data-testid=column-card]").nth(1).click()
    selected = page.locator("section[data-tab=form]").get_attribute("data-selected")
    assert selected.endswith("/fields/1") and "/fields/" in selected[:-len("/fields/1")]
    expect(page.locator("[data-testid=props] h2")).to_have_text(zh(table[1]["label"]))
    page.locator(f"[data-field-card][data-pointer='{selected}']").press("Alt+ArrowLeft")
    table_now = page.evaluate("""() => window.designerStore.findForm('sales_order').form.fields
        .find(x => Array.isArray(x.fields)).fields.map(c => c.name)""")
    assert table_now[:2] == [table[1]["name"], table[0]["name"]]
    assert page.js_errors == []


def test_problems_conditions_settings_and_keys(open_page, live):
    """A link field without its form shows the draft's problem on its card and in the list; choosing the
    form clears it. The condition builder writes visible_if; the expression box checks as you type. The
    form settings edit list columns and charts; renaming a field in use keeps its values (renamed_from);
    Delete removes a field after a confirmation and undo brings it back."""
    page = open_page("admin", viewport=DESKTOP)
    open_designer(page, live)
    doc = "window.designerStore.sources['crm.json'].forms[0]"
    page.click("[data-testid=palette-link]")
    selected = page.locator("[data-field-card][aria-pressed=true]")
    expect(selected.locator("[data-testid=problem-badge]")).to_be_visible(timeout=15_000)
    expect(page.locator("#designer-problem-count")).not_to_have_text("0")
    pointer = selected.get_attribute("data-pointer")
    # the problems list selects the element a problem is about
    page.click("[data-testid=form-settings-button]")
    expect(page.locator("[data-testid=form-settings]")).to_be_visible()
    page.click("[data-testid=designer-problems-toggle]")
    page.locator(f"[data-testid=problem-link][data-pointer^='{pointer}']").first.click()
    expect(page.locator("section[data-tab=form]")).to_have_attribute("data-selected", pointer)
    expect(page.locator("[data-testid=props] .dz-problem-list")).to_be_visible()
    page.select_option("[data-testid=prop-form]", "contact")
    expect(page.locator("#designer-problem-count")).to_have_text("0", timeout=15_000)
    expect(page.locator("[data-testid=link-display]")).to_contain_text("姓名")
    # what linked records show: the target form's title field, chosen here too
    page.select_option("[data-testid=prop-link-shows]", "mobile")
    assert page.evaluate("() => window.designerStore.findForm('contact').form.title_field") == "mobile"
    expect(page.locator("[data-testid=link-display]")).to_contain_text("手机")
    # a simple condition with the builder
    page.click("[data-testid=visible-if-add]")
    page.select_option("[data-testid=visible-if-field-0]", "grade")
    page.select_option("[data-testid=visible-if-value-0]", "A")
    assert page.evaluate(f"() => {doc}.fields.at(-1).visible_if") == "grade == 'A'"
    expect(page.locator("[data-field-card][aria-pressed=true] .dz-cond-mark")).to_be_visible()
    page.select_option("[data-testid=visible-if-op-0]", "in")
    page.fill("[data-testid=visible-if-value-0]", "A, B")
    page.locator("[data-testid=visible-if-value-0]").press("Enter")
    assert page.evaluate(f"() => {doc}.fields.at(-1).visible_if") == "grade in ['A', 'B']"
    # the rest in the expression box, checked as typed
    page.click("[data-testid=visible-if-mode-text]")
    page.fill("[data-testid=visible-if-text]", "grade == 'A' and nosuch > 1")
    expect(page.locator("[data-testid=visible-if-problem]")).to_have_text("这里没有字段 nosuch。")
    # form settings: a list column and a chart
    page.click("[data-testid=form-settings-button]")
    page.select_option("[data-testid=settings-columns-add]", "phone")
    assert page.evaluate(f"() => {doc}.list.columns.at(-1)") == "phone"
    charts = page.evaluate(f"() => {doc}.charts.length")
    page.click("[data-testid=chart-add]")
    assert page.evaluate(f"() => {doc}.charts.length") == charts + 1
    new_chart = page.locator("[data-testid=chart-card]").last
    new_chart.locator("[data-testid=chart-group_by]").select_option("created_at")
    new_chart = page.locator("[data-testid=chart-card]").last
    new_chart.locator("[data-testid=chart-interval]").select_option("month")
    assert page.evaluate(f"() => {doc}.charts.at(-1)") == {
        "title": "新图表", "type": "bar", "group_by": "created_at", "interval": "month"}
    # rename a field in use: its values are kept, the list follows
    card(page, "联系电话").click()
    commit(page, "prop-name", "mobile_phone")
    field = page.evaluate(f"() => {doc}.fields.find(f => {ZH}(f.label) === '联系电话')")
    assert field["name"] == "mobile_phone" and field["renamed_from"] == "phone"
    assert "mobile_phone" in page.evaluate(f"() => {doc}.list.search")
    commit(page, "prop-name", "Bad Name")
    expect(page.locator("[data-testid=prop-name-error]")).not_to_be_empty()
    # Delete asks, then removes; undo brings the field back
    count = page.evaluate(f"() => {doc}.fields.length")
    card(page, "邮箱").focus()
    page.keyboard.press("Delete")
    assert any("邮箱" in q for q in page.questions)
    assert page.evaluate(f"() => {doc}.fields.length") == count - 1
    page.click("[data-testid=designer-undo]")
    assert page.evaluate(f"() => {doc}.fields.length") == count
    # another type for a field: its label and rules stay
    card(page, "邮箱").click()
    page.select_option("[data-testid=prop-type]", "text")
    email = page.evaluate(f"() => {doc}.fields.find(f => {ZH}(f.label) === '邮箱')")
    assert zh(email.pop("label")) == "邮箱" and email == {"name": "email", "type": "text"}
    expect(card(page, "邮箱").locator(".dz-type")).to_have_text("文本")
    page.wait_for_function("() => window.designerStore.status === 'saved'", timeout=15_000)
    assert page.js_errors == []
