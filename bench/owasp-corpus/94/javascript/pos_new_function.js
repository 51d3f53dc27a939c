const express = require("express");
const router = express.Router();

router.get("/formula", (req, res) => {
  const body = req.query.f;
  const fn = new Function("a", "b", "return " + body);
  res.json({ value: fn(2, 3) });
});

module.exports = router;
