const jwt = require("jsonwebtoken");

function requireUser(req, res, next) {
  const token = (req.headers.authorization || "").replace("Bearer ", "");
  const payload = jwt.decode(token);
  if (!payload || !payload.sub) {
    return res.status(401).end();
  }
  req.user = { id: payload.sub, admin: payload.admin === true };
  next();
}

module.exports = { requireUser };
