const express = require("express");
const xpath = require("xpath");
const { DOMParser } = require("@xmldom/xmldom");
const fs = require("fs");

const app = express();
const doc = new DOMParser().parseFromString(fs.readFileSync("accounts.xml", "utf8"));

app.post("/login", express.urlencoded({ extended: false }), (req, res) => {
  const accounts = xpath.select("//account", doc);
  const found = accounts.filter(
    (a) => xpath.select1("string(user)", a) === req.body.user && xpath.select1("string(pin)", a) === req.body.pin
  );
  res.json({ ok: found.length > 0 });
});
