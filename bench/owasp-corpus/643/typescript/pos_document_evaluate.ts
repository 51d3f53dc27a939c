export function highlight(): void {
  const term = new URL(window.location.href).searchParams.get("term") ?? "";
  const result = document.evaluate(
    "//p[contains(text(), '" + term + "')]",
    document,
    null,
    XPathResult.ORDERED_NODE_SNAPSHOT_TYPE,
    null
  );
  for (let i = 0; i < result.snapshotLength; i++) {
    (result.snapshotItem(i) as HTMLElement).classList.add("hit");
  }
}
