const jwt = require("jsonwebtoken");

const JWT_SECRET = process.env.JWT_SECRET;

function issue(userId) {
  return jwt.sign({ sub: userId }, JWT_SECRET, { expiresIn: "1h", algorithm: "HS256" });
}

module.exports = { issue };
