const express = require("express");
const { exec } = require("child_process");

const app = express();

app.get("/dns", (req, res) => {
  const domain = req.query.domain;
  exec(`nslookup ${domain}`, (err, stdout) => {
    if (err) return res.status(500).send("lookup failed");
    res.type("text/plain").send(stdout);
  });
});

app.listen(8080);
