// Link pickers with `filter`, `where` and `fill` (docs/reference.md, Linked choices and
// filling from a linked record): the pure part, tested under node (tests/ui/js/links.test.mjs);
// app.js wires it to the page.
(function (root) {
  "use strict";

  // A control's name → the link's path for the choices endpoint: `owner`, or `items.part`
  // for the control `items-3-part` of a table row (with the row's prefix `items-3-`).
  function linkPath(name) {
    var match = /^([a-z][a-z0-9_]*)-(\d+)-([a-z][a-z0-9_]*)$/.exec(name);
    if (!match) { return {path: name, prefix: "", column: null}; }
    return {path: match[1] + "." + match[3], prefix: match[1] + "-" + match[2] + "-", column: match[3]};
  }

  function choicesUrl(form, path, values, query, ids) {
    var params = ["values=" + encodeURIComponent(JSON.stringify(values || {})), "limit=20"];
    if (query) { params.push("q=" + encodeURIComponent(query)); }
    if (ids && ids.length) { params.push("ids=" + ids.map(String).join(",")); }
    return "/api/forms/" + encodeURIComponent(form) + "/fields/" + encodeURIComponent(path) + "/choices?" +
      params.join("&");
  }

  // Whether a change of the control `changed` may make the link `linkName` (with its filter's
  // field names `names`) no longer fit: a field of the record, or a column of the link's own row.
  function dependsOn(linkName, names, changed) {
    if (!names || !names.length || changed === linkName) { return false; }
    var link = linkPath(linkName), other = linkPath(changed);
    return names.some(function (name) {
      if (other.column === null) { return other.path === name; }
      return other.prefix === link.prefix && other.column === name;
    });
  }

  // The control names a chosen record's `fill` goes to: targets of the record, or of the row.
  function fillTargets(linkName, fill) {
    var prefix = linkPath(linkName).prefix;
    return Object.keys(fill || {}).map(function (target) {
      return {name: prefix + target, value: fill[target]};
    });
  }

  // What an emptied link's `fill` targets take: nothing (the copies go with the record).
  function emptyFill(targets) {
    var fill = {};
    (targets || []).forEach(function (target) { fill[target] = null; });
    return fill;
  }

  // The values the endpoint reads, from [name, value] pairs of the form's controls: record
  // fields by name, the link's row (if any) under `row`; empty values left out.
  function formValues(pairs, linkName, recordId) {
    var prefix = linkPath(linkName).prefix, values = {}, row = {};
    pairs.forEach(function (pair) {
      var name = pair[0], value = pair[1];
      if (value === "" || value === null || value === undefined || name === "csrf_token") { return; }
      var at = linkPath(name);
      if (at.column === null) { values[name] = value; } else if (prefix && at.prefix === prefix) { row[at.column] = value; }
    });
    if (prefix) { values.row = row; }
    if (recordId) { values.id = Number(recordId); }
    return values;
  }

  var api = {linkPath: linkPath, choicesUrl: choicesUrl, dependsOn: dependsOn, fillTargets: fillTargets,
             emptyFill: emptyFill, formValues: formValues};
  if (typeof module !== "undefined" && module.exports) { module.exports = {EngineLinks: api}; }
  else { root.EngineLinks = api; }
})(this);
