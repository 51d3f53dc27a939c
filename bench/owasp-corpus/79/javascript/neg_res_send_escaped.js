const express = require("express");
const escapeHtml = require("escape-html");
const app = express();

app.get("/search", (req, res) => {
  const q = escapeHtml(req.query.q);
  res.send("<h2>Results for " + q + "</h2><ul></ul>");
});

app.listen(3000);
