// Placeholder for the designer's "perms" tab; its owner replaces this file (see /work/notes/shell.md).
export function mount(element, store) {
  element.textContent = store.text("coming");
}
