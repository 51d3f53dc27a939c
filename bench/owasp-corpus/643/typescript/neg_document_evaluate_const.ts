export function highlight(): void {
  const term = new URL(window.location.href).searchParams.get("term") ?? "";
  const result = document.evaluate(
    "//p",
    document,
    null,
    XPathResult.ORDERED_NODE_SNAPSHOT_TYPE,
    null
  );
  for (let i = 0; i < result.snapshotLength; i++) {
    const p = result.snapshotItem(i) as HTMLElement;
    if (p.textContent?.includes(term)) p.classList.add("hit");
  }
}
