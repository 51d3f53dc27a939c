const ALLOWED = new Set(["/dashboard", "/settings", "/billing"]);

export function continueAfterLogin(): void {
  const params = new URLSearchParams(window.location.search);
  const next = params.get("next");
  if (next && ALLOWED.has(next)) {
    window.location.href = next;
  }
}
