// Shared by the designer's node tests: the real module schema (assembled by the engine, so it follows the
// registered field types) and the shipped configs.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const DESIGNER = path.join(ROOT, "engine/ui/static/js/designer");

function python() {
  if (process.env.ENGINE_PYTHON) { return process.env.ENGINE_PYTHON; }
  const venv = path.join(ROOT, ".venv/bin/python");
  return fs.existsSync(venv) ? venv : "python3";
}

let cached = null;
export function moduleSchema() {
  if (!cached) {
    const out = execFileSync(python(), ["-c",
      "import json, sys; from engine.definitions.schema import module_schema; sys.stdout.write(json.dumps(module_schema()))"],
      { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    cached = JSON.parse(out);
  }
  return cached;
}

export function config(name) {
  // a snapshot of the shipped modules (tests/ui/js/fixtures): the tests of the designer's text handling name
  // lines and labels of it, which must not move when the modules change
  return fs.readFileSync(path.join(ROOT, "tests/ui/js/fixtures", name), "utf8");
}

// "text with a | cursor" -> {text, offset}
export function cursor(marked, mark = "|") {
  const offset = marked.indexOf(mark);
  if (offset < 0) { throw new Error("no cursor mark"); }
  return { text: marked.slice(0, offset) + marked.slice(offset + mark.length), offset };
}

// the offset of `needle` in text (the n-th occurrence, 0-based) plus `delta`
export function offsetOf(text, needle, delta = 0, nth = 0) {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) { throw new Error("not found: " + needle); }
  }
  return at + delta;
}
