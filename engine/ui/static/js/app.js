/* Page behaviour for generated forms: pickers, line-item rows, live formulas and
 * visible_if, confirmations. No inline scripts (the CSP forbids them). */
(function () {
  "use strict";

  // Every word the scripts show comes from the page's translated #ui-text block.
  var TEXT = (function () {
    var node = document.getElementById("ui-text");
    try { return node ? JSON.parse(node.textContent) : {}; } catch (e) { return {}; }
  })();

  function text(key, params) {
    var out = TEXT[key] || "";
    Object.keys(params || {}).forEach(function (name) { out = out.split("{" + name + "}").join(String(params[name])); });
    return out;
  }

  function escapeHtml(value) {
    return String(value).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  function pickerRender() {
    return {
      no_results: function () { return '<div class="no-results">' + escapeHtml(text("no_results")) + "</div>"; },
      loading_more: function () { return '<div class="loading-more-results">' + escapeHtml(text("loading_more")) + "</div>"; },
      no_more_results: function () { return '<div class="no-more-results">' + escapeHtml(text("no_more_results")) + "</div>"; }
    };
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  // -- confirmations -----------------------------------------------------------------
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;  // a button may ask its own question (a transition's `confirm`)
    var question = (button && button.dataset && button.dataset.confirm) || (form.dataset && form.dataset.confirm);
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // -- file size and type hints (the server checks again) ------------------------------
  function humanSize(n) {  // as engine/sizes.py: 1 MB, 1.5 MB, 20 KB, 900 B
    if (n >= 1048576) { return (Math.round(n / 104857.6) / 10) + " MB"; }
    if (n >= 1024) { return (Math.round(n / 102.4) / 10) + " KB"; }
    return n + " B";
  }
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches('input[type="file"]')) { return; }
    var file = input.files && input.files[0];
    var problem = "";
    if (file && input.dataset.maxSize && file.size > Number(input.dataset.maxSize)) {
      problem = text("file_too_large", {size: humanSize(Number(input.dataset.maxSize))});
    }
    if (file && input.accept) {
      var ext = "." + file.name.split(".").pop().toLowerCase();
      if (input.accept.split(",").indexOf(ext) < 0) {
        problem = text("file_type", {types: input.accept});
      }
    }
    input.setCustomValidity(problem);
    input.classList.toggle("is-invalid", problem !== "");
    var hint = input.parentElement.querySelector(".file-hint");
    if (!hint) {
      hint = document.createElement("div");
      hint.className = "invalid-feedback d-block file-hint";
      input.insertAdjacentElement("afterend", hint);
    }
    hint.textContent = problem;
  });

  // -- pickers -------------------------------------------------------------------------
  function enhanceSelect(select) {
    if (!window.TomSelect || select.tomselect || select.disabled) { return; }
    var linkForm = select.dataset.linkForm;
    if (linkForm) {
      new TomSelect(select, {
        valueField: "value", labelField: "text", searchField: ["text"], maxOptions: 50,
        preload: "focus", loadThrottle: 250, render: pickerRender(),
        load: function (query, callback) {
          if (select.dataset.linkChoices && select.form && select.form.dataset.form) {  // filter, where, fill
            fetch(linkChoicesUrl(select, query, null), {credentials: "same-origin", headers: {"Accept": "application/json"}})
              .then(function (r) { return r.ok ? r.json() : {items: []}; })
              .then(function (body) {
                callback(body.items.map(function (item) {
                  return {value: String(item.id), text: item.title, fill: item.fill};
                }));
              })
              .catch(function () { callback(); });
            return;
          }
          var url = "/api/forms/" + encodeURIComponent(linkForm) + "/records?per_page=20&q=" + encodeURIComponent(query);
          if (!query) { url = "/api/forms/" + encodeURIComponent(linkForm) + "/records?per_page=20"; }
          fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
            .then(function (r) { return r.ok ? r.json() : {items: []}; })
            .then(function (body) {
              var titleField = select.dataset.linkTitle;
              callback(body.items.map(function (item) {
                var title = titleField ? item.fields[titleField] : null;
                return {value: String(item.id), text: title ? String(title) : "#" + item.id};
              }));
            })
            .catch(function () { callback(); });
        },
        onChange: function (value) {
          var chosen = value && select.tomselect ? select.tomselect.options[value] : null;
          if (chosen && chosen.fill) { applyFill(select, chosen.fill); }
          if (!value) { emptyFill(select); }
          linkNote(select, "");
          select.dispatchEvent(new Event("input", {bubbles: true}));
        }
      });
      return;
    }
    if (select.dataset.enhance) {
      new TomSelect(select, {
        maxOptions: 500, allowEmptyOption: true, render: pickerRender(),
        plugins: select.multiple ? {remove_button: {title: text("remove")}} : {},
        onChange: function () { select.dispatchEvent(new Event("input", {bubbles: true})); }
      });
    }
  }

  // -- link filters and fill (links.js holds the logic) ------------------------------------
  function linkChoicesUrl(select, query, ids) {
    var owner = select.form;
    var pairs = Array.prototype.map.call(owner.elements, function (el) {
      if (!el.name || ((el.type === "radio" || el.type === "checkbox") && !el.checked)) { return [el.name, ""]; }
      return [el.name, el.value];
    });
    var values = EngineLinks.formValues(pairs, select.name, owner.dataset.record);
    return EngineLinks.choicesUrl(owner.dataset.form, EngineLinks.linkPath(select.name).path, values, query, ids);
  }

  function setControl(el, value) {
    var textValue = value === null || value === undefined ? "" : String(value);
    if (el.tomselect) { el.tomselect.setValue(textValue, true); }
    else if (el.type === "checkbox") { el.checked = value === true; }
    else { el.value = textValue; }
  }

  // A read-only column of the row is a disabled input plus a hidden one of the same name: both
  // take the copy (the server fills it too), so the page shows it and formulas use it.
  function applyFill(select, fill) {
    EngineLinks.fillTargets(select.name, fill).forEach(function (target) {
      var found = select.form.elements[target.name];
      var controls = found && !found.tagName ? Array.prototype.slice.call(found) : [found];
      controls.forEach(function (el) {
        var locked = el && el.closest("[data-readonly-column]");
        if (el && (!el.disabled || locked) && el.type !== "file") { setControl(el, target.value); }
      });
    });
  }

  // An emptied link empties its fill targets (the server does the same for what is not sent).
  function emptyFill(select) {
    applyFill(select, EngineLinks.emptyFill(JSON.parse(select.dataset.linkFill || "[]")));
  }

  function linkNote(select, message) {
    var holder = select.closest("td, [data-field-block]") || select.parentElement;
    var note = holder.querySelector(".link-cleared-note");
    if (!message) { if (note) { note.remove(); } return; }
    if (!note) {
      note = document.createElement("div");
      note.className = "form-text text-warning link-cleared-note";
      note.setAttribute("data-testid", "link-cleared-" + select.name);
      holder.appendChild(note);
    }
    note.textContent = message;
  }

  // A change of a field a link's filter names: the chosen link is asked again (`ids=`) and
  // cleared, with a note, when it no longer fits.
  function recheckLinks(changed) {
    if (!changed || !changed.form || !changed.name) { return; }
    if (!changed.form.dataset.form) { return; }
    changed.form.querySelectorAll("select[data-link-choices]").forEach(function (select) {
      var names = JSON.parse(select.dataset.linkFilter || "[]");
      if (!select.value || !EngineLinks.dependsOn(select.name, names, changed.name)) { return; }
      var chosen = select.value;
      fetch(linkChoicesUrl(select, "", [chosen]), {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (body) {
          if (!body || body.items.length || select.value !== chosen) { return; }
          var title = select.tomselect && select.tomselect.options[chosen] ? select.tomselect.options[chosen].text : chosen;
          if (select.tomselect) { select.tomselect.clear(true); select.tomselect.clearOptions(); } else { select.value = ""; }
          emptyFill(select);
          linkNote(select, text("link_cleared", {title: title}));
          select.dispatchEvent(new Event("input", {bubbles: true}));
        })
        .catch(function () {});
    });
  }
  document.addEventListener("change", function (event) { recheckLinks(event.target); });

  function enhanceAll(root) {
    root.querySelectorAll("select[data-link-form], select[data-enhance]").forEach(enhanceSelect);
  }

  // -- line-item rows ------------------------------------------------------------------
  function renumber(table) {
    var name = table.dataset.table;
    table.querySelectorAll("tbody tr[data-row]").forEach(function (row, index) {
      row.querySelectorAll("[name], [id], label[for]").forEach(function (el) {
        ["name", "id", "for"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) { el.setAttribute(attr, value.replace(new RegExp("^" + name + "-\\d+-"), name + "-" + index + "-")); }
        });
      });
    });
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-row]");
    if (add) {
      var name = add.dataset.addRow;
      var scope = add.closest("form") || document;  // the record form, or an ask form over a record's page
      var template = scope.querySelector('template[data-row-template="' + name + '"]');
      var table = scope.querySelector('table[data-table="' + name + '"]');
      var row = template.content.firstElementChild.cloneNode(true);
      row.querySelectorAll(".invalid-feedback").forEach(function (el) { el.remove(); });
      row.querySelectorAll(".is-invalid").forEach(function (el) { el.classList.remove("is-invalid"); });
      table.querySelector("tbody").appendChild(row);
      renumber(table);
      enhanceAll(row);
      var first = row.querySelector("input, select, textarea");
      if (first) { first.focus(); }
      recompute();
      return;
    }
    var remove = event.target.closest("[data-remove-row]");
    if (remove) {
      var tr = remove.closest("tr");
      var owner = tr.closest("table");
      tr.remove();
      renumber(owner);
      recompute();
    }
  });

  // -- live formulas and visible_if ----------------------------------------------------
  var spec = null;
  var form = document.getElementById("record-form");
  if (form) {
    var node = document.getElementById("form-expressions");
    spec = node ? JSON.parse(node.textContent) : null;
  }

  // What a control holds for the evaluator is read as its field's client kind, which the
  // server writes on the field's block or table cell (data-kind; engine/fieldtypes client_kind).
  function kindOf(el) {
    var holder = el.closest("[data-kind]");
    return holder ? holder.dataset.kind : "text";
  }

  function controlText(el) {
    if (el.type === "radio") {  // a group of choices: the checked one, if any
      var checked = (el.form || document).querySelector('[name="' + el.name + '"]:checked');
      return checked ? checked.value : "";
    }
    return el.value || "";
  }

  function inputValue(el, kind) {
    if (!el) { return null; }
    kind = kind || kindOf(el);
    if (kind === "none") { return null; }
    if (kind === "boolean") { return el.checked; }
    if (el.multiple) { return Array.prototype.map.call(el.selectedOptions, function (o) { return o.value; }); }
    return window.EngineFormulas.fromInput(controlText(el), kind);
  }

  function fieldInput(name) {
    return form.querySelector('[name="' + name + '"]');
  }

  function now() { return new Date(); }

  // Each row's and the record's formulas are computed in dependency order from the inputs
  // (EngineFormulas), as the server does on save; formula outputs are only written, never
  // read back, so no formula sees another's previous value.
  function rowInputs(row, table) {
    var columns = spec.rows[table].columns;
    return function (path) {
      if (path.length !== 1 || columns.indexOf(path[0]) < 0) {
        throw new window.EngineExpr.ExprError("unknown column '" + path.join(".") + "'");
      }
      return inputValue(row.querySelector('[name$="-' + path[0] + '"]'));
    };
  }

  function computeRow(row, table) {
    var rowSpec = spec.rows[table];
    return window.EngineFormulas.computeAll(rowSpec.formulas, {
      declared: rowSpec.order, lookup: rowInputs(row, table), results: rowSpec.results,
      precision: rowSpec.precision, user: spec.user, now: now(), tzOffsetMinutes: spec.tz_offset
    });
  }

  function tableRows(table) {
    return Array.prototype.slice.call(form.querySelectorAll('table[data-table="' + table + '"] tbody tr[data-row]'));
  }

  function recordInputs(rowValues) {
    return function (path) {
      if (spec.rows[path[0]]) {
        var rows = rowValues[path[0]];
        if (path.length === 1) { return rows.map(function () { return true; }); }
        if (path.length === 2) {
          return rows.map(function (entry) {
            return Object.prototype.hasOwnProperty.call(entry.computed, path[1]) ? entry.computed[path[1]] : entry.lookup([path[1]]);
          });
        }
      }
      if (path.length === 2) { return linkedValue(path[0], path[1]); }
      if (path.length !== 1) { return null; }
      return inputValue(fieldInput(path[0]));
    };
  }

  // A linked record's field (`account.tier`): the record is fetched once through the API
  // (only what the user may read) and the page recomputes when it arrives.
  var linkedRecords = {};

  function linkedValue(link, name) {
    var info = spec.linked && spec.linked[link];
    var id = info ? inputValue(fieldInput(link), "integer") : null;
    if (typeof id !== "bigint") { return null; }
    var key = info.form + "/" + String(id);
    if (!(key in linkedRecords)) {
      linkedRecords[key] = null;
      fetch("/api/forms/" + encodeURIComponent(info.form) + "/records/" + encodeURIComponent(String(id)),
            {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (body) { if (body) { linkedRecords[key] = body; recompute(); } })
        .catch(function () {});
      return null;
    }
    var record = linkedRecords[key];
    if (!record) { return null; }
    var fields = record.fields || {};
    var raw = Object.prototype.hasOwnProperty.call(fields, name) ? fields[name] : record[name];
    return window.EngineFormulas.fromJson(raw, info.kinds[name]);
  }

  function show(value, result, precision) {
    // The value the server will store (already coerced), shown as the server writes it.
    try {
      return window.EngineExpr.format(value, result === "decimal" || !result ? precision : 0);
    } catch (e) { return ""; }
  }

  function recompute() {
    if (!spec || !window.EngineExpr || !window.EngineFormulas) { return; }
    var rowValues = {};
    Object.keys(spec.rows).forEach(function (table) {
      var rowSpec = spec.rows[table];
      rowValues[table] = tableRows(table).map(function (row) {
        var computed = computeRow(row, table);
        Object.keys(computed).forEach(function (column) {
          var out = row.querySelector('[name$="-' + column + '"]');
          if (out) { out.value = show(computed[column], rowSpec.results[column], rowSpec.precision[column]); }
        });
        return {computed: computed, lookup: rowInputs(row, table)};
      });
    });
    var inputs = recordInputs(rowValues);
    var computed = window.EngineFormulas.computeAll(spec.formulas, {
      declared: spec.order, lookup: inputs, results: spec.results, precision: spec.precision,
      user: spec.user, now: now(), tzOffsetMinutes: spec.tz_offset
    });
    Object.keys(computed).forEach(function (name) {
      var out = fieldInput(name);
      if (out) { out.value = show(computed[name], spec.results[name], spec.precision[name]); }
    });
    var scope = {
      lookup: function (path) {
        if (path.length === 1 && Object.prototype.hasOwnProperty.call(computed, path[0])) { return computed[path[0]]; }
        return inputs(path);
      },
      user: spec.user, now: now(), tzOffsetMinutes: spec.tz_offset
    };
    Object.keys(spec.visible_if).forEach(function (name) {
      var block = form.querySelector('[data-field-block="' + name + '"]');
      if (!block) { return; }
      var visible = true;
      try { visible = window.EngineExpr.evaluateCondition(spec.visible_if[name], scope); } catch (e) { visible = false; }
      block.hidden = !visible;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhanceAll(document);
    if (form) {
      form.addEventListener("input", recompute);
      form.addEventListener("change", recompute);
      recompute();
    }
  });
  // -- duplicate warnings ------------------------------------------------------------------
  // Fields with `warn_duplicates` (or `unique`): say which records already hold the value,
  // as the user leaves the field. A warning only; the server decides on save.
  var recordForm = document.getElementById("record-form");
  if (recordForm) {
    recordForm.querySelectorAll("[data-duplicates]").forEach(function (input) {
      if (input.disabled) { return; }  // shown, not typed into: nothing to check
      // The hint's line is made as the page loads, one line high whatever it will say (app.css;
      // the whole text in its title), so the hint appearing as the user leaves the field moves
      // nothing below it: a click on Save pressed at that moment still lands on Save.
      var note = document.createElement("div");
      note.className = "form-text text-warning duplicate-hint";
      note.setAttribute("data-testid", "duplicate-" + input.dataset.duplicates);
      note.setAttribute("aria-live", "polite");
      var anchor = input;  // below the field's error, if it has one: the error stays next to the field
      while (anchor.nextElementSibling && anchor.nextElementSibling.classList.contains("invalid-feedback")) {
        anchor = anchor.nextElementSibling;
      }
      anchor.insertAdjacentElement("afterend", note);
      input.addEventListener("change", function () {
        note.textContent = "";
        note.removeAttribute("title");
        if (!input.value.trim()) { return; }
        var url = "/api/forms/" + encodeURIComponent(recordForm.dataset.form) + "/duplicates?field=" +
          encodeURIComponent(input.dataset.duplicates) + "&value=" + encodeURIComponent(input.value) +
          "&exclude=" + encodeURIComponent(recordForm.dataset.record || "");
        fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (body) {
            if (!body || !body.count) { return; }
            var parts = [];
            if (body.records.length) {
              parts.push(recordForm.dataset.dupSeen.replace("{records}",
                body.records.map(function (r) { return r.title; }).join("、")));
            }
            if (body.others) { parts.push(recordForm.dataset.dupOthers.replace("{n}", body.others)); }
            note.textContent = "⚠ " + parts.join("；");
            note.title = note.textContent;
          })
          .catch(function () {});
      });
    });
  }

  window.EngineUI = {recompute: recompute, csrfToken: csrfToken, enhanceAll: enhanceAll};
})();
