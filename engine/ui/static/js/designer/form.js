// Placeholder; the form designer replaces it.
export function mount(element, store) {
  element.textContent = store.text("coming");
}
