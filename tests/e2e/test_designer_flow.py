"""The flow designer in a browser: an admin who has never seen JSON adds the approval step
"金额 ≥ 100,000 → 总经理" to the order review with the condition builder, and gives the production
scheduling stage a time limit with a reminder, at 1280 px with a mouse and keyboard; on a 768 px
tablet by touch. The saved draft holds exactly those changes and passes the same checks as
`engine validate`; the definitions in use stay as they were. Runs on SQLite and PostgreSQL (the
draft is stored in the database)."""
from __future__ import annotations

import copy
import json

from playwright.sync_api import expect

# the designer's drafts live in the database: these browser tests run on both backends
from tests.conftest import db_url  # noqa: F401

from .conftest import DESKTOP, SCREENSHOTS

TABLET = {"width": 768, "height": 1024}


def canonical(doc) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def open_flow(page, base: str, form: str = "sales_order"):
    page.goto(f"{base}/admin/designer#flow")
    expect(page.locator("#designer[data-ready=true]")).to_be_visible()
    expect(page.locator("[data-testid=flow-tab]")).to_be_visible()
    page.select_option("[data-testid=flow-form]", form)
    expect(page.locator("[data-testid=flow-node-draft], [data-testid=flow-node-open]").first).to_be_visible()


def stage_of(doc, form: str, stage: str) -> dict:
    wf = next(f for f in doc["forms"] if f["name"] == form)["workflow"]
    return next(s for s in wf["stages"] if s["name"] == stage)


def test_admin_adds_a_general_manager_step_over_100000_and_a_time_limit(open_page, live):
    page = open_page("admin", viewport=DESKTOP)
    start = page.request.get(f"{live}/api/admin/designer").json()
    assert start["draft"] is None
    open_flow(page, live)
    review = page.locator("[data-testid=flow-node-review]")
    expect(review).to_have_attribute("aria-label", "订单评审 · review · 审批 3 步 · 有时限")

    # keyboard: Tab from the diagram reaches the first stage, Enter selects it
    page.locator("[data-testid=flow-diagram]").focus()
    page.keyboard.press("Tab")
    expect(page.locator("[data-testid=flow-node-draft]")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("[data-testid=flow-stage-panel]")).to_have_attribute("data-stage", "draft")

    # the order review: a fourth step, 总经理, only when 应收金额 ≥ 100000
    page.locator("[data-testid=flow-node-review] .dz-flow-node-box").click()
    panel = page.locator("[data-testid=flow-stage-panel]")
    expect(panel).to_have_attribute("data-stage", "review")
    expect(panel.locator("[data-testid=flow-step]")).to_have_count(3)
    panel.locator("[data-testid=flow-add-step]").click()
    step = panel.locator("[data-testid=flow-step]").nth(3)
    expect(step).to_be_visible()
    step.locator("[data-testid=flow-step-title]").fill("总经理审批（金额 ≥ 100,000）")
    step.locator("[data-testid=flow-step-title]").press("Enter")
    step = panel.locator("[data-testid=flow-step]").nth(3)
    step.locator("[data-testid=flow-step-name]").fill("gm_large")
    step.locator("[data-testid=flow-step-name]").press("Enter")
    step = panel.locator("[data-step=gm_large]")
    expect(step.locator("[data-testid=flow-step-approvers-kind]")).to_have_value("manager_of")  # 直属上级 first
    step.locator("[data-testid=flow-step-approvers-kind]").select_option("role")
    step.locator("[data-testid=flow-step-approvers-value]").select_option("general_manager")
    step.locator("[data-testid=flow-step-mode-any]").click()
    step.locator("[data-testid=flow-step-when-add]").click()
    step.locator("[data-testid=flow-step-when-field-0]").select_option("total")
    step.locator("[data-testid=flow-step-when-op-0]").select_option(">=")
    step.locator("[data-testid=flow-step-when-value-0]").fill("100000")
    step.locator("[data-testid=flow-step-when-value-0]").press("Tab")
    expect(step.locator("[data-testid=flow-step-when-value-0]")).to_have_value("100000")
    expect(review).to_have_attribute("aria-label", "订单评审 · review · 审批 4 步 · 有时限")

    # production scheduling: two days, a reminder four hours before
    page.locator("[data-testid=flow-node-scheduling] .dz-flow-node-box").click()
    expect(panel).to_have_attribute("data-stage", "scheduling")
    panel.locator("[data-testid=flow-due-number]").fill("2")
    panel.locator("[data-testid=flow-due-number]").press("Enter")
    panel.locator("[data-testid=flow-due-unit]").select_option("d")
    panel.locator("[data-testid=flow-remind-number]").fill("4")
    panel.locator("[data-testid=flow-remind-number]").press("Enter")
    expect(panel.locator("[data-testid=flow-escalate-notify]")).to_be_visible()
    expect(page.locator("[data-testid=flow-node-scheduling]")).to_contain_text("时限 2d")

    expect(page.locator("#designer-status")).to_have_attribute("data-state", "saved")
    state = page.request.get(f"{live}/api/admin/designer").json()
    draft = state["draft"]
    assert draft["problems"] == []
    assert page.evaluate("() => window.designerStore.check()") == []  # the checks of `engine validate`

    expected = copy.deepcopy(start["files"])
    order_file = next(f for f, doc in expected.items() if any(x["name"] == "sales_order" for x in doc.get("forms", [])))
    stage_of(expected[order_file], "sales_order", "review")["approval"]["steps"].append({
        "name": "gm_large", "title": "总经理审批（金额 ≥ 100,000）", "approvers": [{"role": "general_manager"}],
        "mode": "any", "when": "total >= 100000"})
    scheduling = stage_of(expected[order_file], "sales_order", "scheduling")
    scheduling["due"] = "2d"
    scheduling["remind_before"] = "4h"
    assert set(draft["sources"]) == set(expected)
    for file in expected:  # exactly that change, key order and all
        assert canonical(draft["sources"][file]) == canonical(expected[file]), file
    assert state["files"] == start["files"]  # the definitions in use are untouched

    # connect by dragging a stage's handle onto another stage, then undo it
    page.click("[data-testid=flow-fit]")
    for _ in range(4):
        page.click("[data-testid=flow-zoom-out]")  # the whole order flow in view
    target = page.locator("[data-testid=flow-node-done] .dz-flow-node-box")
    page.locator("[data-testid=flow-diagram]").scroll_into_view_if_needed()
    handle = page.locator("[data-testid=flow-handle-shipped] .dz-flow-handle-dot").bounding_box()
    goal = target.bounding_box()
    page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    page.mouse.down()
    page.mouse.move(goal["x"] + goal["width"] / 2, goal["y"] + goal["height"] / 2, steps=8)
    page.mouse.up()
    transition = page.locator("[data-testid=flow-transition-panel]")
    expect(transition).to_have_attribute("data-transition", "transition_1")
    expect(transition.locator("[data-testid=flow-from-shipped]")).to_be_checked()
    expect(transition.locator("[data-testid=flow-to]")).to_have_value("done")
    page.click("[data-testid=designer-undo]")
    expect(page.locator("[data-testid^=flow-edge-]", has_text="转到完成")).to_have_count(0)
    expect(page.locator("#designer-status")).to_have_attribute("data-state", "saved")
    state = page.request.get(f"{live}/api/admin/designer").json()
    assert canonical(state["draft"]["sources"][order_file]) == canonical(expected[order_file])

    # a step left without approvers is a problem of that step: the badge is on the review stage,
    # and choosing the problem in the problems list brings the step back into view
    page.locator("[data-testid=flow-node-review] .dz-flow-node-box").click()
    panel.locator("[data-step=gm_large] [data-testid=flow-step-approvers-remove]").click()
    expect(review.locator("[data-testid=flow-problem-badge] text")).to_have_text("1")
    page.locator("[data-testid=flow-node-draft] .dz-flow-node-box").click()
    page.click("[data-testid=designer-problems-toggle]")
    # the list says where in words (the pointer is its tooltip)
    problem = page.locator("[data-testid=problem-link][data-pointer$='/steps/3/approvers']")
    expect(problem.locator("[data-testid=problem-where]")).to_contain_text("流程 › 阶段 订单评审 › 审批步骤")
    problem.click()
    expect(panel).to_have_attribute("data-stage", "review")
    expect(panel.locator("[data-step=gm_large] [data-testid=flow-step-title]")).to_be_focused()
    page.click("[data-testid=designer-problems-toggle]")
    page.click("[data-testid=designer-undo]")
    expect(review.locator("[data-testid=flow-problem-badge]")).to_have_count(0)
    expect(page.locator("#designer-status")).to_have_attribute("data-state", "saved")
    state = page.request.get(f"{live}/api/admin/designer").json()
    assert canonical(state["draft"]["sources"][order_file]) == canonical(expected[order_file])

    expect(panel.locator("[data-step=gm_large]")).to_be_visible()
    # the window as the admin sees it: the new step beside the diagram (which stays in view)
    page.click("[data-testid=flow-fit]")
    page.locator("[data-step=gm_large] [data-testid=flow-step-title]").focus()
    page.locator("[data-step=gm_large]").evaluate("(el) => el.scrollIntoView({block: 'center', behavior: 'instant'})")
    page.wait_for_timeout(200)
    page.screenshot(path=str(SCREENSHOTS / "designer-flow.png"))
    assert page.js_errors == []


def test_on_a_tablet_stages_are_added_and_connected_by_touch(chromium, live, log_in, shoot):
    context = chromium.new_context(viewport=TABLET, has_touch=True, is_mobile=True, locale="zh-CN",
                                   timezone_id="Asia/Shanghai")
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("dialog", lambda dialog: dialog.accept())
        log_in(page, live, "admin")
        open_flow(page, live, "after_sales")
        page.locator("[data-testid=flow-node-resolved] .dz-flow-node-box").tap()
        panel = page.locator("[data-testid=flow-stage-panel]")
        expect(panel).to_have_attribute("data-stage", "resolved")
        page.locator("[data-testid=flow-add-stage]").tap()
        expect(panel).to_have_attribute("data-stage", "stage_1")
        panel.locator("[data-testid=flow-stage-title]").fill("回访")
        panel.locator("[data-testid=flow-stage-title]").press("Enter")
        panel.locator("[data-testid=flow-stage-name]").fill("follow_up")
        panel.locator("[data-testid=flow-stage-name]").press("Enter")
        expect(page.locator("[data-testid=flow-node-follow_up]")).to_contain_text("回访")
        # the same as dragging a stage's handle onto another stage: the "new transition" form
        panel.locator("[data-testid=flow-stage-connect]").tap()
        form = page.locator("[data-testid=flow-new-transition]")
        form.locator("[data-testid=flow-new-title]").fill("回访完成")
        form.locator("[data-testid=flow-new-to]").select_option("closed")
        form.locator("[data-testid=flow-new-create]").tap()
        transition = page.locator("[data-testid=flow-transition-panel]")
        expect(transition).to_be_visible()
        transition.locator("[data-testid=flow-roles-sales]").check()
        edge = page.locator("[data-testid^=flow-edge-]", has_text="回访完成")
        expect(edge).to_be_visible()
        # a condition naming no field of the form: the draft's check puts a badge on the arrow
        transition.locator("[data-testid=flow-condition-mode-text]").tap()
        transition.locator("[data-testid=flow-condition-text]").fill("satisfaction >= 4")
        transition.locator("[data-testid=flow-condition-text]").press("Tab")
        expect(edge.locator("[data-testid=flow-problem-badge] text")).to_have_text("1")
        expect(transition.locator("[data-testid=flow-panel-problems]")).to_contain_text("satisfaction")
        transition.locator("[data-testid=flow-condition-remove-0]").tap()  # the builder shows it as a row
        expect(edge.locator("[data-testid=flow-problem-badge]")).to_have_count(0)
        expect(page.locator("#designer-status")).to_have_attribute("data-state", "saved")
        small = page.evaluate("""() => [...document.querySelectorAll(
            '.dz-flow-panel button, .dz-flow-panel select, .dz-flow-panel input:not([type=checkbox]), ' +
            '.dz-flow-panel .form-check, .dz-flow-toolbar button')]
          .filter((el) => el.offsetParent !== null)
          .map((el) => [el.textContent.trim() || el.dataset.testid || el.type, el.getBoundingClientRect().height])
          .filter(([, height]) => height < 43.5)""")
        assert small == []  # every target is big enough for a finger (a checkbox: its whole row)
        draft = page.request.get(f"{live}/api/admin/designer").json()["draft"]
        wf = next(f for doc in draft["sources"].values() for f in doc.get("forms", [])
                  if f["name"] == "after_sales")["workflow"]
        assert wf["stages"][-1] == {"name": "follow_up", "title": "回访"}
        assert wf["transitions"][-1] == {"name": "transition_1", "title": "回访完成", "from": "follow_up",
                                         "to": "closed", "roles": ["sales"]}
        page.evaluate("() => window.scrollTo(0, 0)")
        shoot(page, "designer-flow-tablet")

        # two fingers spread apart zoom in, one finger moves the view
        moved = page.locator("[data-testid=flow-diagram]").evaluate("""(svg) => {
          const bg = svg.querySelector(".dz-flow-bg");
          const view = () => svg.querySelector(".dz-flow-viewport").getAttribute("transform");
          const scale = () => Number(/scale\\(([\\d.]+)\\)/.exec(view())[1]);
          const r = svg.getBoundingClientRect();
          const [x, y] = [r.left + r.width / 2, r.top + r.height / 2];
          const fire = (type, id, px, py) => bg.dispatchEvent(new PointerEvent(type, {pointerId: id,
            pointerType: "touch", isPrimary: id === 1, clientX: px, clientY: py, bubbles: true}));
          const before = scale();
          fire("pointerdown", 1, x - 20, y);
          fire("pointerdown", 2, x + 20, y);
          for (let i = 1; i <= 4; i++) {
            fire("pointermove", 1, x - 20 - 5 * i, y);
            fire("pointermove", 2, x + 20 + 5 * i, y);
          }
          fire("pointerup", 1, x - 40, y);
          fire("pointerup", 2, x + 40, y);
          const pinched = scale();
          const still = view();
          fire("pointerdown", 3, x, y);
          fire("pointermove", 3, x + 40, y + 30);
          fire("pointerup", 3, x + 40, y + 30);
          return {before, pinched, still, panned: view()};
        }""")
        assert abs(moved["pinched"] / moved["before"] - 2) < 0.05  # the fingers went from 40 px to 80 px apart
        assert moved["panned"] != moved["still"]
        assert errors == []
    finally:
        context.close()



def test_the_keyboard_keeps_its_place_after_each_edit(open_page, live):
    page = open_page("admin", viewport=DESKTOP)
    open_flow(page, live)
    page.locator("[data-testid=flow-node-review]").focus()
    page.keyboard.press("Enter")
    step = page.locator("[data-step=manager]")
    step.locator("[data-testid=flow-step-title]").fill("经理审批")
    step.locator("[data-testid=flow-step-title]").press("Tab")  # commits, and the focus goes on
    expect(page.locator("[data-step=manager] [data-testid=flow-step-title]")).to_have_value("经理审批")
    # the title's English box comes next, then the name
    expect(page.locator("[data-step=manager] [data-testid=flow-step-title-en]")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("[data-step=manager] [data-testid=flow-step-name]")).to_be_focused()
    step.locator("[data-testid=flow-step-when-value-0]").fill("60000")
    step.locator("[data-testid=flow-step-when-value-0]").press("Tab")
    expect(page.locator("[data-step=manager] [data-testid=flow-step-when-value-0]")).to_have_value("60000")
    expect(page.locator("[data-step=manager] [data-testid=flow-step-when-remove-0]")).to_be_focused()
    step.locator("[data-testid=flow-step-when-op-0]").focus()
    page.keyboard.press("ArrowUp")  # a select changes at once: it keeps the focus
    expect(page.locator("[data-step=manager] [data-testid=flow-step-when-op-0]")).to_have_value(">")
    expect(page.locator("[data-step=manager] [data-testid=flow-step-when-op-0]")).to_be_focused()
    assert page.evaluate("() => window.designerStore.sources['order_followup.json'].forms[0].workflow.stages[1]"
                         ".approval.steps[1].when") == "total > 60000"

    # renaming a stage that records are in keeps them: renamed_from, and the transitions follow
    page.locator("[data-testid=flow-node-production]").focus()
    page.keyboard.press("Enter")
    page.locator("[data-testid=flow-stage-name]").fill("manufacturing")
    page.locator("[data-testid=flow-stage-name]").press("Enter")
    expect(page.locator("[data-testid=flow-node-manufacturing]")).to_be_visible()
    expect(page.locator("[data-testid=flow-stage-panel]")).to_have_attribute("data-stage", "manufacturing")
    workflow = page.evaluate("() => window.designerStore.sources['order_followup.json'].forms[0].workflow")
    stage = next(s for s in workflow["stages"] if s["name"] == "manufacturing")
    assert list(stage)[:3] == ["name", "renamed_from", "title"] and stage["renamed_from"] == "production"
    ship = next(t for t in workflow["transitions"] if t["name"] == "ship")
    assert ship["from"] == "manufacturing"
    assert next(t for t in workflow["transitions"] if t["name"] == "start_production")["to"] == "manufacturing"
    assert page.js_errors == []
