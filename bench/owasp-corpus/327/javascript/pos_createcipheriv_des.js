const crypto = require("crypto");

function encrypt(key, text) {
  const iv = crypto.randomBytes(8);
  const cipher = crypto.createCipheriv("des-cbc", key, iv);
  return Buffer.concat([iv, cipher.update(text, "utf8"), cipher.final()]).toString("base64");
}

module.exports = { encrypt };
