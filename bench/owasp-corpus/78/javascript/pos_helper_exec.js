const express = require("express");
const { execSync } = require("child_process");

const app = express();

function gitLog(branch) {
  return execSync("git log --oneline -n 20 " + branch).toString();
}

app.get("/log", (req, res) => {
  res.type("text/plain").send(gitLog(req.query.branch));
});
