const express = require("express");
const app = express();

app.get("/search", (req, res) => {
  const q = req.query.q;
  res.json({ title: "<h2>Results for " + q + "</h2>", items: [] });
});

app.listen(3000);
