const express = require("express");
const path = require("path");
const fs = require("fs");

const app = express();
const ROOT = "/srv/static";

app.get("/files", (req, res) => {
  const p = path.join(ROOT, req.query.name);
  fs.readFile(p, (err, data) => {
    if (err) return res.sendStatus(404);
    res.send(data);
  });
});
