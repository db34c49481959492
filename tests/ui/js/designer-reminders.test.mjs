// node --test: date reminders and timed automations (engine/ui/static/js/designer/reminders-model.js).
import test from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

import {
  addReminder, dateFieldOptions, draftReminder, formAt, freshName, insertPlaceholder, makeRecipient, moveReminder,
  parseOffset, placeholderOptions, placeholdersIn, printOffset, recipientOf, removeRecipient, removeReminder,
  sameOffset, setRecipient, transitionOptions, updateReminder, userFieldOptions,
} from "../../../engine/ui/static/js/designer/reminders-model.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const load = (rel) => JSON.parse(readFileSync(path.join(ROOT, rel), "utf8"));
const text = (doc) => JSON.stringify(doc, null, 2);
const crm = () => load("tests/ui/js/fixtures/crm.json");
const orders = () => load("tests/ui/js/fixtures/order_followup.json");
const form = (doc, name) => doc.forms.find((f) => f.name === name);
const META = { types: [
  { name: "date", temporal: true, holds_user: false }, { name: "datetime", temporal: true, holds_user: false },
  { name: "user", temporal: false, holds_user: true }, { name: "text", temporal: false, holds_user: false },
] };

test("offsets parse the documented syntax", () => {
  assert.deepEqual(parseOffset("-1d"), { before: true, amount: 1, unit: "d" });
  assert.deepEqual(parseOffset("30d"), { before: false, amount: 30, unit: "d" });
  assert.deepEqual(parseOffset("+2h"), { before: false, amount: 2, unit: "h" });
  assert.deepEqual(parseOffset("-15m"), { before: true, amount: 15, unit: "m" });
  assert.deepEqual(parseOffset("1w"), { before: false, amount: 1, unit: "w" });
  assert.deepEqual(parseOffset("-0d"), { before: false, amount: 0, unit: "d" });
  assert.deepEqual(parseOffset(undefined), { before: false, amount: 0, unit: "d" }, "absent means 0d");
  for (const bad of ["1", "d", "1 d", "1.5d", "1y", "--1d", "-1D", "1d\n"]) assert.equal(parseOffset(bad), null, bad);
});

test("offsets print the documented syntax, and parse(print(x)) is x", () => {
  assert.equal(printOffset({ before: true, amount: 7, unit: "d" }), "-7d");
  assert.equal(printOffset({ before: false, amount: 30, unit: "d" }), "30d");
  assert.equal(printOffset({ before: true, amount: 0, unit: "h" }), "0h");
  assert.equal(printOffset({ amount: "3", unit: "w" }), "3w");
  assert.throws(() => printOffset({ amount: 1, unit: "y" }));
  for (const t of ["-1d", "27d", "30d", "-3d", "2h", "-45m", "1w"]) assert.equal(printOffset(parseOffset(t)), t);
  assert.ok(sameOffset("+1d", "1d"));
  assert.ok(sameOffset(undefined, "0d"));
  assert.ok(!sameOffset("-1d", "1d"));
  assert.ok(!sameOffset("1d", "24h"), "a different unit is a different text to write");
});

test("a form offers its date fields, system dates, user fields, placeholders and transitions", () => {
  const customer = form(crm(), "customer");
  assert.deepEqual(dateFieldOptions(customer, META).map((o) => o.name),
    ["last_follow_up", "next_follow_up", "created_at", "updated_at", "due_at"]);
  assert.deepEqual(dateFieldOptions(form(crm(), "contact"), META).map((o) => o.name), ["created_at", "updated_at"],
    "no due_at without a workflow");
  // without meta the date/datetime types are known by name
  assert.deepEqual(dateFieldOptions(form(crm(), "follow_up"), {}).map((o) => o.name).slice(0, 2), ["follow_up_at", "next_follow_up"]);
  assert.deepEqual(userFieldOptions(customer, META).map((o) => o.name), ["owner", "created_by"]);
  assert.equal(placeholderOptions(customer)[0].name, "name");
  assert.ok(placeholderOptions(customer).some((o) => o.name === "updated_at" && o.system));
  assert.deepEqual(transitionOptions(customer).map((t) => t.name), ["release", "claim"]);
  assert.deepEqual(transitionOptions(form(crm(), "contact")), []);
});

test("recipients: one rule kind each", () => {
  const order = form(orders(), "sales_order");
  assert.deepEqual(order.reminders[1].notify.map(recipientOf), [
    { kind: "field", value: "salesperson" }, { kind: "role", value: "finance" }, { kind: "manager_of", value: "salesperson" },
  ]);
  assert.deepEqual(recipientOf({ role: "a", user: "b" }), { kind: "other" });
  assert.deepEqual(makeRecipient("user", "lisa"), { user: "lisa" });
  assert.throws(() => makeRecipient("group", "x"));
});

test("placeholders: found in order, inserted at the caret or over a selection", () => {
  assert.deepEqual(placeholdersIn("明天跟进客户 {name}，电话 {phone}"), ["name", "phone"]);
  assert.deepEqual(insertPlaceholder("跟进 ", "name"), { text: "跟进 {name}", caret: 9 });
  assert.deepEqual(insertPlaceholder("ab", "x", 1, 1), { text: "a{x}b", caret: 4 });
  assert.deepEqual(insertPlaceholder("aXYb", "x", 1, 3), { text: "a{x}b", caret: 4 });
});

test("adding a reminder: the documented key order, `reminders` created where the files put it", () => {
  const doc = crm();
  const opp = form(doc, "opportunity");
  const draft = draftReminder(opp, META);
  assert.deepEqual(draft, { name: "reminder", date_field: "expected_close_date", offset: "-1d", notify: [{ field: "owner" }] });
  const index = addReminder(opp, { ...draft, message: "商机 {title} 明天预计成交", offset: "-7d", when: "" });
  assert.equal(index, 0);
  assert.deepEqual(Object.keys(opp), ["name", "title", "title_field", "owner_field", "fields", "permissions", "list", "workflow", "reminders", "charts"]);
  assert.deepEqual(opp.reminders[0], { name: "reminder", date_field: "expected_close_date", offset: "-7d", notify: [{ field: "owner" }], message: "商机 {title} 明天预计成交" });
  assert.deepEqual(Object.keys(opp.reminders[0]), ["name", "date_field", "offset", "notify", "message"]);
  assert.equal(freshName(opp), "reminder_2");
  assert.equal(freshName(opp, "合同"), "reminder_2", "a non-identifier base falls back");
  // a form without workflow or charts: at the end
  const contact = form(doc, "contact");
  addReminder(contact, draftReminder(contact, META));
  assert.equal(Object.keys(contact).at(-1), "reminders");
  assert.deepEqual(contact.reminders[0].date_field, "created_at");
  // removing them again gives the file back
  removeReminder(opp, 0);
  removeReminder(contact, 0);
  assert.equal(text(doc), text(crm()));
});

test("editing a reminder changes only the named keys, in place; empty removes", () => {
  const doc = crm();
  const customer = form(doc, "customer");
  updateReminder(customer, 2, { offset: "+30d" });  // same meaning: left as written
  assert.equal(text(doc), text(crm()));
  updateReminder(customer, 2, { offset: "-2w", when: "", message: "客户 {name} 已释放" });
  const release = customer.reminders[2];
  assert.deepEqual(Object.keys(release), ["name", "date_field", "offset", "notify", "message", "transition"]);
  assert.equal(release.offset, "-2w");
  updateReminder(customer, 2, { when: "stage == 'active'" });
  assert.deepEqual(Object.keys(release), ["name", "date_field", "offset", "notify", "when", "message", "transition"]);
  updateReminder(customer, 2, { transition: "", notify: [] });
  assert.deepEqual(Object.keys(release), ["name", "date_field", "offset", "when", "message"]);
  // unknown keys survive edits
  release.x_note = "kept";
  updateReminder(customer, 2, { transition: "release" });
  assert.deepEqual(Object.keys(release), ["name", "date_field", "offset", "when", "message", "transition", "x_note"]);
  assert.throws(() => updateReminder(customer, 9, { offset: "1d" }));
});

test("recipients are set, appended and removed; the last one removes notify", () => {
  const doc = orders();
  const order = form(doc, "sales_order");
  setRecipient(order, 0, 2, makeRecipient("manager_of", "salesperson"));
  assert.deepEqual(order.reminders[0].notify.at(-1), { manager_of: "salesperson" });
  setRecipient(order, 0, 1, makeRecipient("user", "lisa"));
  assert.deepEqual(order.reminders[0].notify[1], { user: "lisa" });
  removeRecipient(order, 0, 2);
  setRecipient(order, 0, 1, makeRecipient("role", "finance"));
  assert.equal(text(doc), text(orders()));
  removeRecipient(order, 0, 0);
  removeRecipient(order, 0, 0);
  assert.equal("notify" in order.reminders[0], false);
  assert.deepEqual(Object.keys(order.reminders[0]), ["name", "date_field", "offset", "when", "message"]);
  setRecipient(order, 0, 0, makeRecipient("field", "salesperson"));
  assert.deepEqual(Object.keys(order.reminders[0]), ["name", "date_field", "offset", "notify", "when", "message"]);
});

test("removing and moving reminders", () => {
  const doc = crm();
  const customer = form(doc, "customer");
  assert.equal(moveReminder(customer, 0, -1), 0, "the first cannot move up");
  assert.equal(moveReminder(customer, 0, 1), 1);
  assert.deepEqual(customer.reminders.map((r) => r.name), ["pool_warning", "follow_up_tomorrow", "release_to_pool"]);
  moveReminder(customer, 1, -1);
  assert.equal(text(doc), text(crm()));
  assert.equal(removeReminder(customer, 1).name, "pool_warning");
  assert.equal(removeReminder(customer, 7), null);
  removeReminder(customer, 0);
  removeReminder(customer, 0);
  assert.equal("reminders" in customer, false);
  assert.deepEqual(Object.keys(customer).slice(-2), ["workflow", "charts"]);
  assert.equal(formAt({ "crm.json": doc }, "crm.json", "/forms/0"), customer);
});
