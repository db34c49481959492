// Print layouts: the print page's 打印 button, and the list page's "print the selected records".
(function () {
  "use strict";
  const now = document.querySelector("[data-print-now]");
  if (now) now.addEventListener("click", () => window.print());
  const list = document.querySelector("[data-print-selection]");
  if (!list) return;
  const boxes = () => Array.from(document.querySelectorAll("input[data-select-record]"));
  const all = document.querySelector("input[data-select-all]");
  const menu = document.querySelector("[data-print-menu]");
  const count = document.querySelector("[data-selected-count]");
  function refresh() {
    const chosen = boxes().filter((b) => b.checked).map((b) => b.value);
    if (count) count.textContent = String(chosen.length);
    if (menu) menu.disabled = chosen.length === 0;
    document.querySelectorAll("a[data-print-layout]").forEach((a) => {
      a.href = a.dataset.printLayout + "?download=1&ids=" + chosen.join(",");
    });
    if (all) all.checked = chosen.length > 0 && chosen.length === boxes().length;
  }
  if (all) all.addEventListener("change", () => { boxes().forEach((b) => { b.checked = all.checked; }); refresh(); });
  boxes().forEach((b) => b.addEventListener("change", refresh));
  refresh();
})();
