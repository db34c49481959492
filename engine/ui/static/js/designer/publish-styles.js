// The stylesheet of the JSON and Publish & versions tabs, linked once by the tabs that need it.
export function ensureStyles(doc = document) {
  const href = new URL("../../css/designer-publish.css", import.meta.url).href;
  if ([...doc.querySelectorAll('link[rel="stylesheet"]')].some((l) => l.href === href)) { return; }
  const link = doc.createElement("link");
  link.rel = "stylesheet";
  link.href = href;
  doc.head.append(link);
}
