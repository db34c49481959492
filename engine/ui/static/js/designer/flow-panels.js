/* flow-panels.js: the side panels of the flow tab: a stage (title, name, initial, final,
 * editable fields, due / reminder / escalation, approval steps and outcomes) and a transition
 * (title, name, from, to, roles, condition, comment, required fields, set, create, confirm).
 *
 *   stagePanel(ctx, stageIndex) / transitionPanel(ctx, transitionIndex) / newTransitionForm(ctx)
 * ctx = {t, form, edit(label, mutate(form)), select(sel), problems(pointer) -> [P], liveStages,
 *        roles: [{name, title}], fields: [{name, label, type}], userFields, conditionFields,
 *        forms: [{name, title, fields}], focus(fk)}
 * Every edit is ctx.edit(label, (form) => M.someMutation(form, ...)) on the current form.
 */
import { h, problemBadge, problemList } from "./ui.js";
import * as M from "./flow-model.js";
import { isLocalized, txt } from "./loc.js";
import { locInput } from "./loc-input.js";
import { tableSources } from "./create-model.js";
import {
  checkbox, checklist, conditionBox, durationInput, field, mapEditor, recipientsEditor, select, textInput,
} from "./flow-widgets.js";

function section(title, testid, ...children) {
  return h("fieldset", {class: "dz-flow-section", "data-testid": testid},
    h("legend", {class: "h6 dz-flow-legend"}, title), ...children);
}

function problemsBox(ctx, pointer) {
  const list = ctx.problems(pointer);
  return list.length ? h("div", {class: "alert alert-danger py-1 px-2 small mb-2", "data-testid": "flow-panel-problems"},
    problemList(list)) : null;
}

// A localized text (loc.js): the Chinese input (focus key fk) and the English one (fk.en).
function locText(ctx, {fk, value, testid, onCommit}) {
  return locInput({value, commit: onCommit, text: ctx.t, testid,
    make: (initial, commit, o) => textInput({fk: o.english ? `${fk}.en` : fk, value: initial, testid: o.testid, onCommit: commit})});
}

function stageOptions(ctx, {empty = null} = {}) {
  const out = empty ? [{value: "", label: empty}] : [];
  for (const s of M.stagesOf(ctx.form)) {
    if (s && typeof s.name === "string") out.push({value: s.name, label: txt(s.title) ? `${txt(s.title)} (${s.name})` : s.name});
  }
  return out;
}

function roleItems(ctx, withOwner) {
  const items = withOwner ? [{value: "$owner", label: ctx.t("flow.role_owner")}] : [];
  return items.concat(ctx.roles.map((r) => ({value: r.name, label: txt(r.title) ? `${txt(r.title)} (${r.name})` : r.name})));
}

function fieldItems(fields) {
  return fields.map((f) => ({value: f.name, label: txt(f.label) ? `${txt(f.label)} (${f.name})` : f.name}));
}

// -- stage ----------------------------------------------------------------------------------

export function stagePanel(ctx, index) {
  const {t} = ctx;
  const stage = M.stagesOf(ctx.form)[index];
  if (!stage) return null;
  const pointer = `/workflow/stages/${index}`;
  const fk = `stage.${index}`;
  const flags = M.stageFlags(ctx.form, stage);
  const title = txt(stage.title) || stage.name;
  const panel = h("div", {class: "dz-flow-panel", "data-testid": "flow-stage-panel", "data-stage": stage.name});
  panel.append(h("div", {class: "d-flex align-items-center gap-2 mb-2"},
    h("h2", {class: "h5 mb-0 me-auto"}, t("flow.stage_heading", {title})), problemBadge(ctx.problems(pointer))));
  const box = problemsBox(ctx, pointer);
  if (box) panel.append(box);

  panel.append(field({label: t("flow.title"), input: locText(ctx, {fk: `${fk}.title`, value: stage.title,
    testid: "flow-stage-title",
    onCommit: (v) => ctx.edit(t("flow.did_stage_title"), (form) => M.setStageKey(form, index, "title", v))})}));
  const origin = M.liveNameOf(stage, ctx.liveStages);
  const nameInput = textInput({fk: `${fk}.name`, value: stage.name, mono: true, testid: "flow-stage-name",
    pattern: "[a-z][a-z0-9_]{0,62}",
    onCommit: (v) => {
      if (v === stage.name) return;
      ctx.keep({kind: "stage", name: v});  // the selection follows the new name
      const ok = ctx.edit(t("flow.did_stage_rename"), (form) => M.renameStage(form, index, v, ctx.liveStages));
      if (ok === false) {
        ctx.keep({kind: "stage", name: stage.name});
        ctx.say(t("flow.bad_name", {name: v}));
      }
    }});
  panel.append(field({label: t("flow.name"), input: nameInput,
    help: origin ? (origin !== stage.name ? t("flow.renamed_help", {old: origin}) : t("flow.name_live_help"))
      : t("flow.name_help")}));

  const initial = checkbox({fk: `${fk}.initial`, label: t("flow.initial"), checked: flags.initial,
    testid: "flow-stage-initial", help: flags.initial ? t("flow.initial_help") : "",
    onChange: (on) => { if (on) ctx.edit(t("flow.did_initial"), (form) => M.setInitial(form, stage.name)); }});
  initial.querySelector("input").disabled = flags.initial;  // another stage is made initial instead
  panel.append(h("div", {class: "d-flex flex-wrap gap-3 mb-2"},
    initial,
    checkbox({fk: `${fk}.final`, label: t("flow.final"), checked: flags.final, testid: "flow-stage-final",
      onChange: (on) => ctx.edit(t("flow.did_final"), (form) => M.setStageKey(form, index, "final", on))})));

  // editable fields
  const editable = M.editableOf(stage);
  panel.append(section(t("flow.editable"), "flow-editable",
    h("div", {class: "form-text mt-0 mb-1"}, t("flow.editable_help")),
    checklist({fk: `${fk}.editable`, testid: "flow-editable", items: fieldItems(ctx.fields),
      chosen: editable === "*" ? [] : editable,
      all: {label: t("flow.editable_all"), checked: editable === "*",
        onChange: (on) => ctx.edit(t("flow.did_editable"), (form) => M.setEditable(form, index, on ? "*" : []))},
      onChange: (list) => ctx.edit(t("flow.did_editable"), (form) => M.setEditable(form, index, list))})));

  // time limit
  if (!flags.final || stage.due || stage.escalate) panel.append(dueSection(ctx, index, stage, fk));
  // approval
  if (!flags.final || flags.approval) panel.append(approvalSection(ctx, index, stage, fk));

  panel.append(colorField(ctx, index, stage, fk));
  const count = M.stagesOf(ctx.form).length;
  panel.append(h("div", {class: "d-flex flex-wrap gap-2 mt-3"},
    h("button", {type: "button", class: "btn btn-sm btn-outline-secondary", "data-fk": `${fk}.up`, disabled: index === 0,
      "data-testid": "flow-stage-up", title: t("flow.stage_order_help"),
      onclick: () => { ctx.focus(`stage.${index - 1}.up`); ctx.edit(t("flow.did_move_stage"), (form) => M.moveStage(form, index, -1)); }},
    `↑ ${t("flow.move_up")}`),
    h("button", {type: "button", class: "btn btn-sm btn-outline-secondary", "data-fk": `${fk}.down`,
      disabled: index === count - 1, "data-testid": "flow-stage-down", title: t("flow.stage_order_help"),
      onclick: () => { ctx.focus(`stage.${index + 1}.down`); ctx.edit(t("flow.did_move_stage"), (form) => M.moveStage(form, index, 1)); }},
    `↓ ${t("flow.move_down")}`),
    h("button", {type: "button", class: "btn btn-sm btn-outline-primary", "data-fk": `${fk}.connect`,
      "data-testid": "flow-stage-connect", disabled: flags.final,
      onclick: () => ctx.newTransition(stage.name)}, t("flow.connect_from_here")),
    h("button", {type: "button", class: "btn btn-sm btn-outline-danger ms-auto", "data-fk": `${fk}.remove`,
      "data-testid": "flow-stage-remove",
      onclick: () => {
        const uses = M.transitionsOf(ctx.form).filter((x) => x && (x.to === stage.name || M.fromList(x).includes(stage.name)));
        const question = origin ? t("flow.confirm_remove_live_stage", {title, count: uses.length})
          : t("flow.confirm_remove_stage", {title, count: uses.length});
        if (!window.confirm(question)) return;
        ctx.edit(t("flow.did_remove_stage"), (form) => M.removeStage(form, index));
        ctx.select(null);
      }}, t("flow.remove_stage"))));
  return panel;
}

function colorField(ctx, index, stage, fk) {
  const {t} = ctx;
  const value = typeof stage.color === "string" ? stage.color : "";
  const commit = (v) => ctx.edit(t("flow.did_color"), (form) => M.setStageKey(form, index, "color", v));
  const picker = h("input", {type: "color", class: "form-control form-control-color form-control-sm", "data-fk": `${fk}.color.pick`,
    value: /^#[0-9a-fA-F]{6}$/.test(value) ? value : "#1677ff", "aria-label": t("flow.color_pick"), title: t("flow.color_pick")});
  picker.addEventListener("change", () => commit(picker.value));
  const text = textInput({fk: `${fk}.color`, value, mono: true, testid: "flow-stage-color", placeholder: "#1677ff",
    ariaLabel: t("flow.color"), onCommit: commit});
  return field({label: t("flow.color"), help: t("flow.color_help"), id: text.id,
    input: h("div", {class: "d-flex gap-1 dz-flow-color"}, picker, text)});
}

function dueSection(ctx, index, stage, fk) {
  const {t} = ctx;
  const esc = stage.escalate && typeof stage.escalate === "object" ? stage.escalate : {};
  const box = section(t("flow.due_section"), "flow-due",
    h("div", {class: "row g-2"},
      h("div", {class: "col-12 col-sm-6"}, field({label: t("flow.due"), help: t("flow.due_help"),
        input: durationInput({fk: `${fk}.due`, value: stage.due || "", t, testid: "flow-due", ariaLabel: t("flow.due"),
          onCommit: (v) => ctx.edit(t("flow.did_due"), (form) => M.setStageKey(form, index, "due", v))})})),
      h("div", {class: "col-12 col-sm-6"}, field({label: t("flow.remind_before"), help: t("flow.remind_before_help"),
        input: durationInput({fk: `${fk}.remind`, value: stage.remind_before || "", t, testid: "flow-remind",
          ariaLabel: t("flow.remind_before"),
          onCommit: (v) => ctx.edit(t("flow.did_remind"), (form) => M.setStageKey(form, index, "remind_before", v))})}))));
  if (stage.due || stage.escalate) {
    box.append(field({label: t("flow.escalate_notify"), help: t("flow.escalate_notify_help"),
      input: recipientsEditor({fk: `${fk}.esc.notify`, list: esc.notify, roles: ctx.roles, userFields: ctx.userFields, t,
        testid: "flow-escalate-notify",
        onChange: (list) => ctx.edit(t("flow.did_escalate"), (form) => M.setEscalateKey(form, index, "notify", list))})}));
    const options = [{value: "", label: t("flow.escalate_nothing")}];
    for (const tr of M.transitionsOf(ctx.form)) {
      if (tr && typeof tr.name === "string" && (M.fromList(tr).includes(stage.name) || M.fromList(tr).includes("*"))) {
        options.push({value: `transition:${tr.name}`, label: t("flow.escalate_fire", {title: txt(tr.title) || tr.name})});
      }
    }
    if (stage.approval) {
      for (const action of ["approve", "reject", "send_back"]) {
        options.push({value: `action:${action}`, label: t(`flow.escalate_${action}`)});
      }
    }
    const value = esc.transition ? `transition:${esc.transition}` : esc.action ? `action:${esc.action}` : "";
    box.append(field({label: t("flow.escalate_then"), input: select({fk: `${fk}.esc.then`, value, options,
      testid: "flow-escalate-then",
      onChange: (v) => ctx.edit(t("flow.did_escalate"), (form) => {
        const [kind, name] = v ? v.split(":") : ["", ""];
        if (!kind) {
          M.setEscalateKey(form, index, "transition", "");
          M.setEscalateKey(form, index, "action", "");
        } else M.setEscalateKey(form, index, kind, name);
      })})}));
  }
  return box;
}

function approvalSection(ctx, index, stage, fk) {
  const {t} = ctx;
  const a = stage.approval && typeof stage.approval === "object" ? stage.approval : null;
  if (!a) {
    return section(t("flow.approval"), "flow-approval",
      h("p", {class: "small text-secondary mb-1"}, t("flow.approval_help")),
      h("button", {type: "button", class: "btn btn-sm btn-outline-primary", "data-fk": `${fk}.approval.make`,
        "data-testid": "flow-make-approval",
        onclick: () => ctx.edit(t("flow.did_make_approval"), (form) => {
          const next = M.transitionsOf(form).find((x) => x && M.fromList(x).includes(stage.name));
          M.setApproval(form, index, {approved: next ? next.to : "", rejected: form.workflow.initial || ""});
          M.addStep(form, index, {title: t("flow.first_step_title"), approvers: [{manager_of: "created_by"}]});
        })}, t("flow.make_approval")));
  }
  const box = section(t("flow.approval"), "flow-approval",
    h("p", {class: "small text-secondary mb-1"}, t("flow.approval_steps_help")));
  const steps = M.stepsOf(ctx.form, index);
  steps.forEach((step, s) => box.append(stepCard(ctx, index, s, step, steps.length, fk)));
  box.append(h("button", {type: "button", class: "btn btn-sm btn-outline-primary mb-2", "data-fk": `${fk}.step.add`,
    "data-testid": "flow-add-step",
    onclick: () => ctx.edit(t("flow.did_add_step"), (form) => {
      const i = M.addStep(form, index, {title: t("flow.step_title_n", {n: steps.length + 1}),
        approvers: [{manager_of: "created_by"}]});  // the submitter's manager (直属上级) until changed
      ctx.focus(`${fk}.step.${i}.title`);
    })}, `+ ${t("flow.add_step")}`));
  box.append(h("div", {class: "row g-2"},
    h("div", {class: "col-12 col-sm-6"}, field({label: t("flow.approved_to"), input: select({fk: `${fk}.approved`,
      value: a.approved || "", testid: "flow-approved-to", options: stageOptions(ctx, {empty: "—"}),
      onChange: (v) => ctx.edit(t("flow.did_outcome"), (form) => M.setApproval(form, index, {approved: v}))})})),
    h("div", {class: "col-12 col-sm-6"}, field({label: t("flow.rejected_to"), input: select({fk: `${fk}.rejected`,
      value: a.rejected || "", testid: "flow-rejected-to", options: stageOptions(ctx, {empty: "—"}),
      onChange: (v) => ctx.edit(t("flow.did_outcome"), (form) => M.setApproval(form, index, {rejected: v}))})}))));
  box.append(h("button", {type: "button", class: "btn btn-sm btn-link text-danger px-0", "data-fk": `${fk}.approval.remove`,
    "data-testid": "flow-remove-approval",
    onclick: () => {
      if (window.confirm(t("flow.confirm_remove_approval"))) {
        ctx.edit(t("flow.did_remove_approval"), (form) => M.removeApproval(form, index));
      }
    }}, t("flow.remove_approval")));
  return box;
}

function stepCard(ctx, index, s, step, count, fk) {
  const {t} = ctx;
  const pointer = `/workflow/stages/${index}/approval/steps/${s}`;
  const sfk = `${fk}.step.${s}`;
  const edit = (label, key, value) => ctx.edit(label, (form) => M.setStepKey(form, index, s, key, value));
  const problems = ctx.problems(pointer);
  return h("div", {class: `card dz-flow-step mb-2${problems.length ? " dz-has-problem" : ""}`, "data-testid": "flow-step",
    "data-step": step.name},
  h("div", {class: "card-header py-1 px-2 d-flex align-items-center gap-1"},
    h("span", {class: "badge text-bg-secondary"}, String(s + 1)),
    h("strong", {class: "small me-auto text-truncate"}, txt(step.title) || step.name), problemBadge(problems),
    h("button", {type: "button", class: "btn btn-sm btn-outline-secondary dz-flow-icon-btn", disabled: s === 0,
      "data-fk": `${sfk}.up`, "aria-label": t("flow.move_up"), title: t("flow.move_up"),
      onclick: () => ctx.edit(t("flow.did_move_step"), (form) => M.moveStep(form, index, s, -1))}, "↑"),
    h("button", {type: "button", class: "btn btn-sm btn-outline-secondary dz-flow-icon-btn", disabled: s === count - 1,
      "data-fk": `${sfk}.down`, "aria-label": t("flow.move_down"), title: t("flow.move_down"),
      onclick: () => ctx.edit(t("flow.did_move_step"), (form) => M.moveStep(form, index, s, 1))}, "↓"),
    h("button", {type: "button", class: "btn btn-sm btn-outline-danger dz-flow-icon-btn", "data-fk": `${sfk}.remove`,
      "data-testid": "flow-step-remove", "aria-label": t("flow.remove_step"), title: t("flow.remove_step"),
      onclick: () => ctx.edit(t("flow.did_remove_step"), (form) => M.removeStep(form, index, s))}, "×")),
  h("div", {class: "card-body p-2"},
    problems.length ? h("div", {class: "alert alert-danger py-1 px-2 small mb-2"}, problemList(problems)) : null,
    h("div", {class: "row g-2"},
      h("div", {class: "col-12 col-sm-7"}, field({label: t("flow.step_title"), input: locText(ctx, {fk: `${sfk}.title`,
        value: step.title, testid: "flow-step-title",
        onCommit: (v) => edit(t("flow.did_step"), "title", v)})})),
      h("div", {class: "col-12 col-sm-5"}, field({label: t("flow.name"), input: textInput({fk: `${sfk}.name`,
        value: step.name, mono: true, testid: "flow-step-name",
        onCommit: (v) => {
          const taken = M.stepsOf(ctx.form, index).some((x, i) => i !== s && x && x.name === v);
          if (v !== step.name && (!M.IDENT.test(v) || taken)) ctx.say(t("flow.bad_name", {name: v}));
          else edit(t("flow.did_step"), "name", v);
        }})}))),
    field({label: t("flow.approvers"), input: recipientsEditor({fk: `${sfk}.approvers`, list: step.approvers,
      roles: ctx.roles, userFields: ctx.userFields, t, testid: "flow-step-approvers",
      onChange: (list) => edit(t("flow.did_step"), "approvers", list)})}),
    field({label: t("flow.mode"), input: h("div", {class: "btn-group btn-group-sm", role: "group",
      "aria-label": t("flow.mode"), "data-testid": "flow-step-mode"},
    ["any", "all"].map((mode) => h("button", {type: "button", "data-fk": `${sfk}.mode.${mode}`,
      class: `btn ${(step.mode || "any") === mode ? "btn-primary" : "btn-outline-primary"}`,
      "aria-pressed": String((step.mode || "any") === mode), "data-testid": `flow-step-mode-${mode}`,
      title: t(`flow.mode_${mode}_help`),
      onclick: () => edit(t("flow.did_step"), "mode", mode)}, t(`flow.mode_${mode}`))))}),
    field({label: t("flow.step_when"), help: t("flow.step_when_help"), input: conditionBox({fk: `${sfk}.when`,
      value: step.when || "", fields: ctx.conditionFields, t, testid: "flow-step-when", label: t("flow.expression"),
      check: ctx.check,
      onCommit: (v) => edit(t("flow.did_step"), "when", v)})}),
    field({label: t("flow.cc"), input: recipientsEditor({fk: `${sfk}.cc`, list: step.cc, roles: ctx.roles,
      userFields: ctx.userFields, t, testid: "flow-step-cc",
      onChange: (list) => edit(t("flow.did_step"), "cc", list)})}),
    checkbox({fk: `${sfk}.self`, label: t("flow.allow_self_approval"), checked: step.allow_self_approval === true,
      onChange: (on) => edit(t("flow.did_step"), "allow_self_approval", on)}),
    checkbox({fk: `${sfk}.skip`, label: t("flow.skip_if_approved_before"), checked: step.skip_if_approved_before === true,
      onChange: (on) => edit(t("flow.did_step"), "skip_if_approved_before", on)}),
    field({label: t("flow.step_require"), help: t("flow.step_require_help"), input: checklist({fk: `${sfk}.require`,
      testid: "flow-step-require", items: fieldItems(ctx.fields.filter((f) => !f.computed)),
      chosen: Array.isArray(step.require) ? step.require : [],
      onChange: (list) => edit(t("flow.did_step"), "require", list)})})));
}

// -- transition -------------------------------------------------------------------------------

export function transitionPanel(ctx, index) {
  const {t} = ctx;
  const tr = M.transitionsOf(ctx.form)[index];
  if (!tr) return null;
  const pointer = `/workflow/transitions/${index}`;
  const fk = `transition.${index}`;
  const edit = (key, value) => ctx.edit(t("flow.did_transition"), (form) => M.setTransitionKey(form, index, key, value));
  const panel = h("div", {class: "dz-flow-panel", "data-testid": "flow-transition-panel", "data-transition": tr.name});
  panel.append(h("div", {class: "d-flex align-items-center gap-2 mb-2"},
    h("h2", {class: "h5 mb-0 me-auto"}, t("flow.transition_heading", {title: txt(tr.title) || tr.name})),
    problemBadge(ctx.problems(pointer))));
  const box = problemsBox(ctx, pointer);
  if (box) panel.append(box);
  panel.append(h("div", {class: "row g-2"},
    h("div", {class: "col-12 col-sm-7"}, field({label: t("flow.button_title"), input: locText(ctx, {fk: `${fk}.title`,
      value: tr.title, testid: "flow-transition-title", onCommit: (v) => edit("title", v)})})),
    h("div", {class: "col-12 col-sm-5"}, field({label: t("flow.name"), help: t("flow.transition_name_help"),
      input: textInput({fk: `${fk}.name`, value: tr.name || "", mono: true, testid: "flow-transition-name",
        onCommit: (v) => {
          const ok = ctx.edit(t("flow.did_transition"), (form) => M.renameTransition(form, index, v));
          if (ok === false && v !== tr.name) ctx.say(t("flow.bad_name", {name: v}));
        }})}))));
  const from = M.fromList(tr);
  // a final stage allows no transitions out: offered only when the file already names it
  const nonFinal = M.stagesOf(ctx.form).filter((s) => s && typeof s.name === "string" && (!s.final || from.includes(s.name)));
  panel.append(section(t("flow.from_to"), "flow-from-to",
    field({label: t("flow.from"), help: t("flow.from_help"), input: checklist({fk: `${fk}.from`, testid: "flow-from",
      items: nonFinal.map((s) => ({value: s.name, label: txt(s.title) ? `${txt(s.title)} (${s.name})` : s.name})),
      chosen: from.filter((f) => f !== "*"),
      all: {label: t("flow.any_stage"), checked: from.includes("*"),
        onChange: (on) => ctx.edit(t("flow.did_transition"), (form) => M.setFrom(form, index,
          on ? "*" : [M.stagesOf(form).find((s) => s && !s.final && s.name !== tr.to)?.name].filter(Boolean)))},
      onChange: (list) => ctx.edit(t("flow.did_transition"), (form) => M.setFrom(form, index, list))})}),
    field({label: t("flow.to"), input: select({fk: `${fk}.to`, value: tr.to || "", testid: "flow-to",
      options: stageOptions(ctx), onChange: (v) => edit("to", v)})})));
  panel.append(section(t("flow.who"), "flow-who",
    field({label: t("flow.roles"), help: t("flow.roles_help"), input: checklist({fk: `${fk}.roles`, testid: "flow-roles",
      items: roleItems(ctx, true), chosen: Array.isArray(tr.roles) ? tr.roles : [],
      onChange: (list) => edit("roles", list)})}),
    field({label: t("flow.condition"), help: t("flow.condition_help"), input: conditionBox({fk: `${fk}.condition`,
      value: tr.condition || "", fields: ctx.conditionFields, t, testid: "flow-condition", check: ctx.check,
      onCommit: (v) => edit("condition", v)})}),
    checkbox({fk: `${fk}.comment`, label: t("flow.comment_required"), checked: tr.comment_required === true,
      testid: "flow-comment-required", onChange: (on) => edit("comment_required", on)}),
    field({label: t("flow.confirm"), help: t("flow.confirm_help"), input: locText(ctx, {fk: `${fk}.confirm`,
      value: typeof tr.confirm === "string" || isLocalized(tr.confirm) ? tr.confirm : undefined, testid: "flow-confirm", onCommit: (v) => edit("confirm", v)})})));
  const settable = ctx.fields.filter((f) => !f.computed);
  panel.append(section(t("flow.effects"), "flow-effects",
    field({label: t("flow.require"), help: t("flow.require_help"), input: checklist({fk: `${fk}.require`,
      testid: "flow-require", items: fieldItems(ctx.fields), chosen: Array.isArray(tr.require) ? tr.require : [],
      onChange: (list) => edit("require", list)})}),
    field({label: t("flow.set"), help: t("flow.set_help"), input: mapEditor({fk: `${fk}.set`, map: tr.set,
      targets: settable, t, testid: "flow-set",
      onEdit: (oldKey, key, expr) => ctx.edit(t("flow.did_transition"), (form) => M.setMapEntry(form, index, ["set"], oldKey, key, expr))})}),
    createEditor(ctx, index, tr, fk)));
  const count = M.transitionsOf(ctx.form).length;
  const move = (delta) => {
    ctx.keep({kind: "transition", index: index + delta});
    ctx.focus(`transition.${index + delta}.${delta < 0 ? "up" : "down"}`);
    ctx.edit(t("flow.did_move_transition"), (form) => M.moveTransition(form, index, delta));
  };
  panel.append(h("div", {class: "d-flex flex-wrap gap-2 mt-3"},
    h("button", {type: "button", class: "btn btn-sm btn-outline-secondary", "data-fk": `${fk}.up`, disabled: index === 0,
      "data-testid": "flow-transition-up", title: t("flow.transition_order_help"), onclick: () => move(-1)},
    `↑ ${t("flow.move_up")}`),
    h("button", {type: "button", class: "btn btn-sm btn-outline-secondary", "data-fk": `${fk}.down`,
      disabled: index === count - 1, "data-testid": "flow-transition-down", title: t("flow.transition_order_help"),
      onclick: () => move(1)}, `↓ ${t("flow.move_down")}`),
    h("button", {type: "button", class: "btn btn-sm btn-outline-danger ms-auto", "data-fk": `${fk}.remove`,
      "data-testid": "flow-transition-remove",
      onclick: () => {
        if (!window.confirm(t("flow.confirm_remove_transition", {title: txt(tr.title) || tr.name}))) return;
        ctx.edit(t("flow.did_remove_transition"), (form) => M.removeTransition(form, index));
        ctx.select(null);
      }}, t("flow.remove_transition"))));
  return panel;
}

function createEditor(ctx, index, tr, fk) {
  const {t} = ctx;
  const create = tr.create && typeof tr.create === "object" ? tr.create : null;
  const target = create && typeof create.form === "string" ? create.form : "";
  const box = h("div", {class: "dz-flow-create", "data-testid": "flow-create"});
  box.append(field({label: t("flow.create"), help: t("flow.create_help"), input: select({fk: `${fk}.create.form`,
    value: target, testid: "flow-create-form",
    options: [{value: "", label: t("flow.create_none")}, ...ctx.forms.map((f) => ({value: f.name,
      label: txt(f.title) ? `${txt(f.title)} (${f.name})` : f.name}))],
    onChange: (v) => ctx.edit(t("flow.did_transition"), (form) => M.setCreateForm(form, index, v))})}));
  if (create) {
    const targetForm = ctx.forms.find((f) => f.name === target);
    const targets = targetForm ? targetForm.fields.filter((f) => !f.computed) : [];
    if (create.set !== undefined && (typeof create.set !== "object" || create.set === null)) {
      box.append(h("code", {class: "small"}, JSON.stringify(create.set)));
    } else {
      const tables = tableSources(ctx.form, ctx.forms);
      const help = t("flow.create_set_help") + (tables.length && targets.some((f) => f.columns) ? ` ${t("create.table_help")}` : "");
      box.append(field({label: t("flow.create_set"), help, input: mapEditor({
        fk: `${fk}.create.set`, map: create.set, targets, t, testid: "flow-create-set", tables,
        onEdit: (oldKey, key, expr) => ctx.edit(t("flow.did_transition"),
          (form) => M.setMapEntry(form, index, ["create", "set"], oldKey, key, expr))})}));
    }
    const others = Object.keys(create).filter((k) => k !== "form" && k !== "set");
    if (others.length) box.append(h("p", {class: "small text-secondary"}, t("flow.kept_keys", {keys: others.join(", ")})));
  }
  return box;
}

// -- new transition form ------------------------------------------------------------------------

/* choice: {from, to, title} kept by the caller across re-renders (the form fills it in). */
export function newTransitionForm(ctx, choice) {
  const {t} = ctx;
  const stages = M.stagesOf(ctx.form).filter((s) => s && typeof s.name === "string");
  const sources = stages.filter((s) => !s.final);
  if (choice.from !== "*" && !sources.some((s) => s.name === choice.from)) choice.from = (sources[0] && sources[0].name) || "";
  if (!choice.to) choice.to = (stages.find((s) => s.name !== choice.from) || {}).name || "";
  const titleInput = textInput({fk: "new.title", value: choice.title || "", testid: "flow-new-title",
    onCommit: (v) => { choice.title = v; }});
  titleInput.addEventListener("input", () => { choice.title = titleInput.value; });
  const fromSel = select({fk: "new.from", value: choice.from, testid: "flow-new-from",
    options: [{value: "*", label: t("flow.any_stage")}, ...sources.map((s) => ({value: s.name, label: txt(s.title) || s.name}))],
    onChange: (v) => { choice.from = v; }});
  const toSel = select({fk: "new.to", value: choice.to, testid: "flow-new-to",
    options: stages.map((s) => ({value: s.name, label: txt(s.title) || s.name})), onChange: (v) => { choice.to = v; }});
  const formEl = h("form", {class: "dz-flow-panel", "data-testid": "flow-new-transition",
    onsubmit: (event) => {
      event.preventDefault();
      if (!choice.from || !choice.to) return;
      const title = titleInput.value.trim();
      const i = ctx.edit(t("flow.did_connect"), (form) => M.connect(form, choice.from, choice.to, {title}));
      if (typeof i === "number") ctx.select({kind: "transition", index: i});
    }},
  h("h2", {class: "h5"}, t("flow.new_transition")),
  field({label: t("flow.button_title"), input: titleInput}),
  h("div", {class: "row g-2"},
    h("div", {class: "col-6"}, field({label: t("flow.from"), input: fromSel})),
    h("div", {class: "col-6"}, field({label: t("flow.to"), input: toSel}))),
  h("div", {class: "d-flex gap-2"},
    h("button", {type: "submit", class: "btn btn-sm btn-primary", "data-testid": "flow-new-create", "data-fk": "new.create"},
      t("flow.create_transition")),
    h("button", {type: "button", class: "btn btn-sm btn-outline-secondary", "data-fk": "new.cancel",
      onclick: () => ctx.select(null)}, t("flow.cancel"))));
  return formEl;
}
