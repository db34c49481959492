// @ completion in a record's comment box (docs/reference.md, Notifications, @mentions): typing `@`
// and part of a name lists the people who may read the record (GET .../mentionable?q=, from the
// input's data-mentions); choosing one writes `@name ` into the comment. The pure part is tested
// under node (tests/ui/js/mentions.test.mjs); the rest wires it to every input with data-mentions.

const MAX_QUERY = 32;

// The mention being typed before the caret: {start, query} (start: the index of its "@"), or null
// (no "@", an e-mail address like a@b, or a space or a new line since the "@").
export function mentionAt(text, caret) {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf("@");
  if (at < 0) { return null; }
  if (at > 0 && /[A-Za-z0-9_.+-]/.test(before[at - 1])) { return null; }
  const query = before.slice(at + 1);
  if (query.length > MAX_QUERY || /[\s@]/.test(query)) { return null; }
  return { start: at, query };
}

// What a mention of `person` says: their display name, unless another listed person shares it or
// it holds an "@" or a line break (then the user name, which names exactly them).
export function mentionText(person, listed) {
  const display = person.display || person.name;
  const shared = (listed || []).some((other) => other.name !== person.name && other.display === display);
  return shared || /[@\n\r]/.test(display) ? person.name : display;
}

// The text with the mention typed so far (from `start` to `caret`) replaced by `@name `, and the caret
// after it.
export function insertMention(text, start, caret, person, listed) {
  const inserted = "@" + mentionText(person, listed) + " ";
  return { text: text.slice(0, start) + inserted + text.slice(caret), caret: start + inserted.length };
}

export function mentionUrl(base, query) {
  return base + "?q=" + encodeURIComponent(query);
}

// The highlighted item after an arrow key (wrapping), or the same one for any other key.
export function moveActive(index, count, key) {
  if (!count) { return 0; }
  if (key === "ArrowDown") { return (index + 1) % count; }
  if (key === "ArrowUp") { return (index - 1 + count) % count; }
  return index;
}

function wire(input) {
  const list = document.createElement("ul");
  list.className = "list-group position-absolute start-0 top-100 shadow-sm mention-list";
  list.style.zIndex = "1050";
  list.style.minWidth = "12rem";
  list.style.maxHeight = "16rem";
  list.style.overflowY = "auto";
  list.setAttribute("role", "listbox");
  list.dataset.testid = "mention-list";
  list.hidden = true;
  input.insertAdjacentElement("afterend", list);
  input.setAttribute("autocomplete", "off");
  input.setAttribute("aria-autocomplete", "list");
  let items = [];
  let active = 0;
  let typing = null;
  let asked = 0;

  function close() {
    list.hidden = true;
    items = [];
    typing = null;
  }

  function render() {
    list.replaceChildren(...items.map((person, index) => {
      const item = document.createElement("li");
      item.className = "list-group-item list-group-item-action py-1 px-2 small" + (index === active ? " active" : "");
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", index === active ? "true" : "false");
      item.dataset.name = person.name;
      item.textContent = person.display;
      if (person.display !== person.name) {
        const name = document.createElement("span");
        name.className = "ms-2 " + (index === active ? "text-white-50" : "text-secondary");
        name.textContent = person.name;
        item.append(name);
      }
      item.addEventListener("mousedown", (event) => { event.preventDefault(); choose(index); });
      return item;
    }));
    list.hidden = items.length === 0;
  }

  function choose(index) {
    if (!typing || !items[index]) { return; }
    const done = insertMention(input.value, typing.start, input.selectionStart, items[index], items);
    input.value = done.text;
    input.setSelectionRange(done.caret, done.caret);
    close();
    input.focus();
  }

  input.addEventListener("input", () => {
    typing = mentionAt(input.value, input.selectionStart);
    if (!typing) { close(); return; }
    const mine = ++asked;
    fetch(mentionUrl(input.dataset.mentions, typing.query),
      { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then((response) => (response.ok ? response.json() : { items: [] }))
      .then((data) => {
        if (mine !== asked || !typing) { return; }
        items = data.items || [];
        active = 0;
        render();
      })
      .catch(() => close());
  });
  input.addEventListener("keydown", (event) => {
    if (list.hidden) { return; }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      active = moveActive(active, items.length, event.key);
      render();
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();  // Enter would send the comment
      choose(active);
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", () => close());
}

if (typeof document !== "undefined") {
  document.querySelectorAll("input[data-mentions], textarea[data-mentions]").forEach(wire);
}
