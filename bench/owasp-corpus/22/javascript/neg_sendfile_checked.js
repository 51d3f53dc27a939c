const express = require("express");
const path = require("path");
const fs = require("fs");

const app = express();
const ROOT = "/srv/static";

app.get("/files", (req, res) => {
  const p = path.resolve(ROOT, req.query.name);
  if (!p.startsWith(ROOT + path.sep)) {
    return res.sendStatus(403);
  }
  fs.readFile(p, (err, data) => {
    if (err) return res.sendStatus(404);
    res.send(data);
  });
});
