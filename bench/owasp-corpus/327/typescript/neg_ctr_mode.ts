import * as crypto from "crypto";

const MODE = "aes-128-ctr";

export function wrapKey(kek: Buffer, key: Buffer): Buffer {
  const iv = crypto.randomBytes(16);
  const c = crypto.createCipheriv(MODE, kek, iv);
  return Buffer.concat([iv, c.update(key), c.final()]);
}
