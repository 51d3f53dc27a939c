const express = require("express");
const axios = require("axios");

const app = express();

app.get("/proxy", async (req, res) => {
  const id = encodeURIComponent(req.query.target);
  const upstream = await axios.get("https://api.example.com/items/" + id);
  res.send(upstream.data);
});
