"""Localized texts in the designer, in a browser: every display text of the shipped modules (module,
role, form, field label/help/placeholder, option label, chart, stage, transition, confirmation, approval
step, reminder message) becomes {"zh-CN", "en"}; every tab still draws (no script error, no
"[object Object]"), shows the Chinese text, and the property panel's English box writes and clears the
English text: a plain string stays a string until English is typed, and clearing it turns it back.
Runs on SQLite and PostgreSQL: the draft is stored in the database."""
from __future__ import annotations

from playwright.sync_api import expect

# the designer's drafts live in the database: these browser tests run on both backends
from tests.conftest import db_url  # noqa: F401
from tests.e2e.conftest import DESKTOP

LOCALIZE = """() => window.designerStore.change((sources) => {
  // every text "x" (also one already in both languages) becomes {"zh-CN": "x", "en": "EN x"}
  const zh = (v) => (typeof v === "string" ? v : (v && typeof v === "object" && v["zh-CN"]) || "");
  const L = (v) => (zh(v) ? {"zh-CN": zh(v), "en": "EN " + zh(v)} : v);
  const each = (obj, keys) => { for (const k of keys) { if (obj && k in obj) { obj[k] = L(obj[k]); } } };
  for (const doc of Object.values(sources)) {
    each(doc, ["title", "description"]);
    for (const role of doc.roles || []) { each(role, ["title", "description"]); }
    for (const form of doc.forms || []) {
      each(form, ["title", "description"]);
      const fields = (list) => { for (const f of list || []) {
        each(f, ["label", "help", "placeholder"]);
        if (Array.isArray(f.options)) {
          f.options = f.options.map((o) => (o && typeof o === "object"
            ? {...o, label: L(zh(o.label) || String(o.value))} : {value: o, label: L(o)}));
        }
        fields(f.fields);
      } };
      fields(form.fields);
      for (const chart of form.charts || []) { each(chart, ["title"]); }
      for (const reminder of form.reminders || []) { each(reminder, ["message"]); }
      const wf = form.workflow || {};
      for (const stage of wf.stages || []) {
        each(stage, ["title"]);
        for (const step of (stage.approval && stage.approval.steps) || []) { each(step, ["title"]); }
      }
      for (const tr of wf.transitions || []) { each(tr, ["title", "confirm"]); }
    }
  }
}, "localize")"""


def open_designer(page, base: str, tab: str = "form") -> None:
    page.goto(f"{base}/admin/designer#{tab}")
    expect(page.locator("#designer[data-ready=true]")).to_be_visible()


def no_object_text(page) -> None:
    assert "[object Object]" not in page.locator("body").inner_text()
    assert page.js_errors == []


def test_localized_texts_are_shown_and_edited_in_every_tab(open_page, live, shoot):
    page = open_page("admin", viewport=DESKTOP)
    open_designer(page, live)
    page.evaluate(LOCALIZE)
    # the form tab: canvas, help texts, the form picker, the settings
    expect(page.locator("[data-testid=canvas-title]")).to_have_text("客户")
    expect(page.locator("[data-testid=canvas-fields] .dz-field-label").first).to_contain_text("客户名称")
    no_object_text(page)
    page.locator("[data-testid=canvas-fields] > [data-field-card]").first.click()
    expect(page.locator("[data-testid=prop-label]")).to_have_value("客户名称")
    expect(page.locator("[data-testid=prop-label-en]")).to_have_value("EN 客户名称")
    # Chinese edited: the object keeps its English text
    box = page.locator("[data-testid=prop-label]")
    box.fill("客户全称")
    box.press("Enter")
    label = page.evaluate("window.designerStore.sources['crm.json'].forms[0].fields[0].label")
    assert label == {"zh-CN": "客户全称", "en": "EN 客户名称"}
    # English cleared: back to the plain string
    english = page.locator("[data-testid=prop-label-en]")
    english.fill("")
    english.press("Enter")
    assert page.evaluate("window.designerStore.sources['crm.json'].forms[0].fields[0].label") == "客户全称"
    # English typed into a plain string: the object
    english = page.locator("[data-testid=prop-label-en]")
    english.fill("Customer name")
    english.press("Enter")
    assert page.evaluate("window.designerStore.sources['crm.json'].forms[0].fields[0].label") == {
        "zh-CN": "客户全称", "en": "Customer name"}
    # an option's label of a select
    grade = page.locator("[data-field-card]").filter(has=page.locator(".dz-field-label", has_text="客户等级")).first
    grade.click()
    expect(page.locator("[data-testid=option-label-0]")).to_have_value("A类（重点）")
    expect(page.locator("[data-testid=option-label-0-en]")).to_have_value("EN A类（重点）")
    page.wait_for_function("() => window.designerStore.status !== 'pending'")
    page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")
    shoot(page, "designer-localized")
    no_object_text(page)
    # form settings: the form title
    page.locator("[data-testid=canvas-title]").click()
    settings_title = page.locator("[data-testid=settings-title-en]")
    if settings_title.count():
        expect(settings_title).to_have_value("EN 客户")

    # the flow tab: the diagram, the stage and transition panels
    page.click("[data-tab-button=flow]")
    page.select_option("[data-testid=flow-form]", "opportunity")
    expect(page.locator("[data-testid^=flow-node-]").first).to_be_visible()
    no_object_text(page)
    node = page.locator("[data-testid^=flow-node-]:not([data-testid=flow-node-\\*])").first
    node.click()
    chinese = page.locator("[data-testid=flow-stage-title]").input_value()
    expect(page.locator("[data-testid=flow-stage-title-en]")).to_have_value("EN " + chinese)
    no_object_text(page)

    # the permissions matrix (role titles, form titles, the hidden-field list) and the roles editor
    page.click("[data-tab-button=perms]")
    expect(page.locator("[data-testid=perms-grid]")).to_be_visible()
    expect(page.locator("tr[data-role=sales]").first).to_contain_text("销售")
    page.click("[data-testid=cell-customer-warehouse-hide]")
    expect(page.locator("[data-testid=hide-phone]")).to_be_visible()
    no_object_text(page)

    # the reminders tab
    page.click("[data-tab-button=reminders]")
    no_object_text(page)
    # the problems list and the review name places by their Chinese texts
    page.click("[data-tab-button=publish]")
    page.wait_for_timeout(500)
    no_object_text(page)


def test_an_english_admin_sees_the_english_texts(open_page, live):
    """The same definitions for an admin who switched the pages to English: the canvas, the flow diagram
    and the matrix show the English texts; the boxes still edit both."""
    page = open_page("admin", viewport=DESKTOP)
    page.goto(f"{live}/admin/designer?lang=en#form")
    expect(page.locator("#designer[data-ready=true]")).to_be_visible()
    page.evaluate(LOCALIZE)
    expect(page.locator("[data-testid=canvas-title]")).to_have_text("EN 客户")
    expect(page.locator("[data-testid=canvas-fields] .dz-field-label").first).to_contain_text("EN 客户名称")
    page.locator("[data-testid=canvas-fields] > [data-field-card]").first.click()
    expect(page.locator("[data-testid=prop-label]")).to_have_value("客户名称")
    expect(page.locator("[data-testid=prop-label-en]")).to_have_value("EN 客户名称")
    page.click("[data-tab-button=flow]")
    page.select_option("[data-testid=flow-form]", "opportunity")
    expect(page.locator("[data-testid^=flow-node-] .dz-flow-node-title").first).to_contain_text("EN ")
    page.click("[data-tab-button=perms]")
    expect(page.locator("tr[data-role=sales]").first).to_contain_text("EN 销售")
    no_object_text(page)
