import * as crypto from "crypto";

const MODE = "aes-128-ecb";

export function wrapKey(kek: Buffer, key: Buffer): Buffer {
  const c = crypto.createCipheriv(MODE, kek, null);
  return Buffer.concat([c.update(key), c.final()]);
}
