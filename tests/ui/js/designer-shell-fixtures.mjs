// Shared by the shell helper's designer tests: the field types as the page's #designer-meta lists them
// (from the engine, so a new type class is in them), and every config file under configs/ and tests/configs/.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { ROOT } from "./designer-fixtures.mjs";

export { ROOT };
const PYTHON = process.env.ENGINE_PYTHON || (fs.existsSync(path.join(ROOT, ".venv/bin/python")) ? path.join(ROOT, ".venv/bin/python") : "python3");

let meta = null;
export function designerMeta() {
  if (!meta) {
    const out = execFileSync(PYTHON, ["-c", "import json, sys; from engine.ui.designer import type_meta;"
      + " from engine.fieldtypes import REGISTRY; from engine.expressions import FUNCTIONS;"
      + " sys.stdout.write(json.dumps({'types': [type_meta(k) for k in REGISTRY.values()], 'functions': sorted(FUNCTIONS)}))"],
    { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    meta = JSON.parse(out);
  }
  return meta;
}

// [{path (relative to ROOT), text, shipped: bool}] for every .json file that parses as JSON; shipped = a
// module file directly in configs/ (configs/demo holds the demo's data, not definitions)
export function allConfigs() {
  const out = [];
  const walk = (dir, shipped) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) { walk(full, false); continue; }
      if (!entry.name.endsWith(".json")) { continue; }
      let text;
      try { text = new TextDecoder("utf-8", { fatal: true }).decode(fs.readFileSync(full)); } catch (e) { continue; }
      try { JSON.parse(text); } catch (e) { continue; }
      out.push({ path: path.relative(ROOT, full), text, shipped });
    }
  };
  walk(path.join(ROOT, "configs"), true);
  walk(path.join(ROOT, "tests", "configs"), false);
  return out;
}

// The page's expression evaluator (a classic script) as node sees it.
export function engineExpr() {
  const require = createRequire(import.meta.url);
  return require(path.join(ROOT, "engine/ui/static/js/expr.js")).EngineExpr;
}
