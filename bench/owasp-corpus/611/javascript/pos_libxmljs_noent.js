const express = require("express");
const libxmljs = require("libxmljs");

const app = express();
app.use(express.text({ type: "application/xml" }));

app.post("/invoice", (req, res) => {
  const doc = libxmljs.parseXml(req.body, { noent: true, nonet: false });
  res.json({ total: doc.get("//total").text() });
});
