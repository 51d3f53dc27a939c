const express = require("express");
const app = express();

const serialize = require('node-serialize');

app.post('/prefs', (req, res) => {
  const prefs = serialize.unserialize(req.body.prefs);
  res.json(prefs);
});
