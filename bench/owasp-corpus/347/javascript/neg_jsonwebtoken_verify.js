const jwt = require("jsonwebtoken");

function requireUser(req, res, next) {
  const token = (req.headers.authorization || "").replace("Bearer ", "");
  let payload;
  try {
    payload = jwt.verify(token, process.env.JWT_SECRET, { algorithms: ["HS256"] });
  } catch (e) {
    return res.status(401).end();
  }
  req.user = { id: payload.sub, admin: payload.admin === true };
  next();
}

module.exports = { requireUser };
