import { createHash } from "crypto";

const algo = ["sha1", "sha512"][0];

export function signatureOf(payload: string): string {
  return createHash(algo).update(payload).digest("base64");
}
