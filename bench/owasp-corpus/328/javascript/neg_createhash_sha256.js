const crypto = require("crypto");

function hashPassword(password, salt) {
  return crypto.createHash("sha256").update(salt + password).digest("hex");
}

module.exports = { hashPassword };
