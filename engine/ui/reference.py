"""The reference (docs/reference.md) as a page in the admin area, next to the definitions it
describes. A small Markdown subset is enough for it: headings, paragraphs, lists, tables,
code blocks, `code`, **bold** and links. Everything is escaped first."""
from __future__ import annotations

import re
from pathlib import Path

from markupsafe import Markup, escape

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "reference.md"
_BLOCK_START = re.compile(r"(#|\||```|\s*[-*] |<!--)")

_INLINE = [
    (re.compile(r"`([^`]+)`"), lambda m: f"<code>{m.group(1)}</code>"),
    (re.compile(r"\*\*([^*]+)\*\*"), lambda m: f"<strong>{m.group(1)}</strong>"),
    (re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)"), lambda m: f'<a href="{_href(m.group(2))}">{m.group(1)}</a>'),
]


def _href(target: str) -> str:
    """In-page anchors stay; other documents of the repository are not served, so point at
    the anchor of the same name (or nowhere)."""
    if target.startswith("#"):
        return target
    return "#" + target.split("#", 1)[1] if "#" in target else "#"


def _inline(text: str) -> str:
    out = str(escape(text))
    parts = re.split(r"(<code>.*?</code>)", _INLINE[0][0].sub(_INLINE[0][1], out))
    for pattern, repl in _INLINE[1:]:
        parts = [p if p.startswith("<code>") else pattern.sub(repl, p) for p in parts]
    return "".join(parts)


def anchor(title: str) -> str:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes."""
    return re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


def _table(rows: list[str]) -> str:
    cells = [[c.strip() for c in re.split(r"(?<!\\)\|", r.strip().strip("|"))] for r in rows]
    head, body = cells[0], [r for r in cells[2:]]
    html = ['<div class="table-responsive"><table class="table table-sm table-bordered small"><thead><tr>']
    html += [f"<th>{_inline(c.replace(chr(92) + '|', '|'))}</th>" for c in head]
    html.append("</tr></thead><tbody>")
    for row in body:
        html.append("<tr>" + "".join(f"<td>{_inline(c.replace(chr(92) + '|', '|'))}</td>" for c in row) + "</tr>")
    html.append("</tbody></table></div>")
    return "".join(html)


def render(text: str) -> Markup:
    html: list[str] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            block = []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                block.append(lines[i])
                i += 1
            html.append(f"<pre class=\"bg-light p-2 small\"><code>{escape(chr(10).join(block))}</code></pre>")
        elif line.startswith("<!--") and line.rstrip().endswith("-->"):
            pass  # the markers around generated sections (scripts/reference.py)
        elif m := re.match(r"(#{1,4}) (.*)", line):
            level = len(m.group(1))
            html.append(f'<h{level + 1} id="{anchor(m.group(2))}" class="mt-4">{_inline(m.group(2))}</h{level + 1}>')
        elif line.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(lines[i])
                i += 1
            html.append(_table(rows))
            continue
        elif re.match(r"\s*[-*] ", line):
            items: list[str] = []
            while i < len(lines) and (re.match(r"\s*[-*] ", lines[i]) or (lines[i].startswith("  ") and items)):
                if re.match(r"\s*[-*] ", lines[i]):
                    items.append(re.sub(r"^\s*[-*] ", "", lines[i]))
                else:
                    items[-1] += " " + lines[i].strip()
                i += 1
            html.append("<ul>" + "".join(f"<li>{_inline(item)}</li>" for item in items) + "</ul>")
            continue
        elif line.strip():
            para = [line]
            while i + 1 < len(lines) and lines[i + 1].strip() and not _BLOCK_START.match(lines[i + 1]):
                i += 1
                para.append(lines[i])
            html.append(f"<p>{_inline(' '.join(para))}</p>")
        i += 1
    return Markup("\n".join(html))


def reference_html() -> Markup | None:
    """The rendered reference, or None when this installation has no docs/ folder."""
    try:
        return render(REFERENCE.read_text(encoding="utf-8"))
    except OSError:
        return None
