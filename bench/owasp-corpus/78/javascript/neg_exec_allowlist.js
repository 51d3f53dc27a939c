const express = require("express");
const { exec } = require("child_process");

const app = express();
const SERVICES = new Set(["nginx", "redis", "postgres"]);

app.post("/restart", express.json(), (req, res) => {
  const svc = req.body.service;
  if (!SERVICES.has(svc)) {
    return res.status(400).send("unknown service");
  }
  exec("systemctl restart " + svc, (err) => {
    res.send(err ? "failed" : "restarted");
  });
});
