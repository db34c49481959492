/* formulas.js: compute a record's (or a table row's) formulas the way the server does.
 *
 * The server (engine/records/compute.py) evaluates formulas until every formula has seen
 * the final value of each formula it reads, and stores each value coerced to its result
 * type. The page must give the same numbers at every keystroke, so formulas run here in
 * dependency order (a formula after every formula it names), whatever order the page's
 * JSON happens to list them in, and read each other's coerced values, never the text of
 * another input.
 *
 *   EngineFormulas.references(ir)                 -> names a formula reads (first path part)
 *   EngineFormulas.dependencyOrder(formulas[, declared]) -> names, dependencies first
 *   EngineFormulas.computeAll(formulas, options)  -> {name: coerced value}
 *   EngineFormulas.fromJson(raw, kind)            -> an API field value as an expression value
 *   EngineFormulas.fromInput(text, kind)          -> an input's text as an expression value
 *
 * A `kind` is what the server says a field's value is to the evaluator (its type's
 * client_kind, engine/fieldtypes/base.py): "integer", "decimal", "text", "date",
 * "datetime", "boolean", "list", "rows" or "none". Scripts never look at type names.
 *
 * `formulas` maps a field name to its expression IR (Expression.to_dict()).
 * computeAll options: order (names; default dependencyOrder), lookup(path) for every other
 * value, results / precision (name -> result kind / places), user, now, tzOffsetMinutes,
 * expr (the EngineExpr object; default the global one). A formula that fails is null, as
 * on the server.
 */
(function (global) {
  "use strict";

  function collect(node, out) {
    if (Array.isArray(node)) {
      node.forEach(function (child) { collect(child, out); });
      return;
    }
    if (!node || typeof node !== "object") { return; }
    if (node.t === "field" && Array.isArray(node.path) && node.path.length) {
      out.add(node.path[0]);
    }
    Object.keys(node).forEach(function (key) {
      if (key !== "path") { collect(node[key], out); }
    });
  }

  function references(ir) {
    var out = new Set();
    collect(ir && ir.root !== undefined ? ir.root : ir, out);
    return Array.from(out);
  }

  /** Names of `formulas` ordered so that each comes after the formulas it reads. Ties keep
   * `declared` order (the definition's field order). A cycle, which definition checks
   * refuse, leaves its members in declared order rather than failing. */
  function dependencyOrder(formulas, declared) {
    var names = (declared || []).filter(function (n) { return Object.prototype.hasOwnProperty.call(formulas, n); });
    Object.keys(formulas).sort().forEach(function (n) { if (names.indexOf(n) < 0) { names.push(n); } });
    var needs = {};
    names.forEach(function (n) {
      needs[n] = references(formulas[n]).filter(function (r) { return r !== n && names.indexOf(r) >= 0; });
    });
    var done = [];
    var state = {};
    function visit(n) {
      if (state[n] === "done" || state[n] === "active") { return; }
      state[n] = "active";
      needs[n].forEach(visit);
      state[n] = "done";
      done.push(n);
    }
    names.forEach(visit);
    return done;
  }

  function computeAll(formulas, options) {
    var expr = options.expr || global.EngineExpr;
    var order = options.order || dependencyOrder(formulas, options.declared);
    var results = options.results || {};
    var precision = options.precision || {};
    var values = {};
    var scope = {
      lookup: function (path) {
        if (path.length === 1 && Object.prototype.hasOwnProperty.call(values, path[0])) {
          return values[path[0]];
        }
        if (path.length === 1 && Object.prototype.hasOwnProperty.call(formulas, path[0])) {
          return null;  // not computed yet: only inside a cycle
        }
        return options.lookup(path);
      },
      user: options.user === undefined ? null : options.user,
      now: options.now || new Date(),
      tzOffsetMinutes: options.tzOffsetMinutes
    };
    order.forEach(function (name) {
      var value = null;
      try { value = expr.evaluate(formulas[name], scope); } catch (e) { value = null; }
      values[name] = expr.coerce(value, results[name] || "decimal", precision[name]);
    });
    return values;
  }

  /** A field value as the JSON API writes it (decimals and dates as text) -> an expression
   * value of the field's kind. */
  function fromJson(raw, kind, expr) {
    expr = expr || global.EngineExpr;
    if (raw === null || raw === undefined || raw === "" || kind === "none" || kind === "rows") {
      return null;  // a linked record's rows are not in its row (as on the server)
    }
    try {
      if (kind === "integer") { return expr.integer(String(raw)); }
      if (kind === "decimal") { return expr.decimal(String(raw)); }
      if (kind === "date") { return expr.date(String(raw)); }
      if (kind === "datetime") { return expr.datetime(String(raw)); }
      if (kind === "boolean") { return raw === true || raw === "true"; }
      if (Array.isArray(raw)) { return raw.map(String); }
      if (typeof raw === "object") { return null; }
      return String(raw);
    } catch (e) {
      return null;
    }
  }

  /** What a person typed (an input's text) -> an expression value of the field's kind.
   * Numbers that do not parse stay text, so `qty * price` fails as it would on the server;
   * dates that do not parse are null (a half-typed date). */
  function fromInput(text, kind, expr) {
    expr = expr || global.EngineExpr;
    var value = String(text === null || text === undefined ? "" : text).trim();
    if (value === "" || kind === "none") { return null; }
    if (kind === "integer") { return /^[+-]?\d+$/.test(value) ? expr.integer(value) : value; }
    if (kind === "decimal") { return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(value) ? expr.decimal(value) : value; }
    if (kind === "date" || kind === "datetime") {
      try { return expr[kind](value); } catch (e) { return null; }
    }
    if (kind === "boolean") { return value === "true" || value === "y"; }
    return value;
  }

  global.EngineFormulas = {
    references: references,
    dependencyOrder: dependencyOrder,
    computeAll: computeAll,
    fromJson: fromJson,
    fromInput: fromInput
  };
})(typeof window !== "undefined" ? window : this);
