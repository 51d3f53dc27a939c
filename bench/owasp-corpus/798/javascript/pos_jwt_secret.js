const jwt = require("jsonwebtoken");

const JWT_SECRET = "f3Kp9zQ2xW7mLr4TvB8nYc1HsD6gJe0A";

function issue(userId) {
  return jwt.sign({ sub: userId }, JWT_SECRET, { expiresIn: "1h", algorithm: "HS256" });
}

module.exports = { issue };
