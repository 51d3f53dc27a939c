const express = require("express");
const app = express();
app.use(express.json());

app.post("/api/rules/test", (req, res) => {
  const rule = JSON.parse(req.body.rule);
  const verdict = rule.op === "eq" ? req.body.input === rule.value : false;
  res.json({ verdict });
});
