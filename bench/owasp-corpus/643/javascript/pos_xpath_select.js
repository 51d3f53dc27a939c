const express = require("express");
const xpath = require("xpath");
const { DOMParser } = require("@xmldom/xmldom");
const fs = require("fs");

const app = express();
const doc = new DOMParser().parseFromString(fs.readFileSync("accounts.xml", "utf8"));

app.post("/login", express.urlencoded({ extended: false }), (req, res) => {
  const q = "//account[user='" + req.body.user + "' and pin='" + req.body.pin + "']";
  const found = xpath.select(q, doc);
  res.json({ ok: found.length > 0 });
});
