const express = require("express");
const app = express();

app.get('/pac', (req, res) => {
  const rule = req.query.rule;
  res.json({ direct: eval(rule) });
});
