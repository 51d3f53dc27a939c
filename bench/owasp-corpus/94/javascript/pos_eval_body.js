const express = require("express");
const app = express();
app.use(express.json());

app.post("/api/rules/test", (req, res) => {
  const rule = req.body.rule;
  const verdict = eval("(function(input){ return " + rule + "; })")(req.body.input);
  res.json({ verdict });
});
