import { randomUUID } from "crypto";

export function newSessionId(): string {
  return randomUUID().replace(/-/g, "") + randomUUID().replace(/-/g, "");
}
