const express = require("express");
const axios = require("axios");

const app = express();

app.get("/proxy", async (req, res) => {
  const target = req.query.target;
  const upstream = await axios.get(target);
  res.send(upstream.data);
});
