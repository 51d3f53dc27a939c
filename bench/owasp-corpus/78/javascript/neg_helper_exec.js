const express = require("express");
const { execSync } = require("child_process");

const app = express();

function gitLog(branch) {
  return execSync("git log --oneline -n 20 " + branch).toString();
}

app.get("/log", (req, res) => {
  const branch = /^[A-Za-z0-9._-]+$/.test(req.query.branch) ? req.query.branch : "main";
  res.type("text/plain").send(gitLog("main") + branch.length);
});
