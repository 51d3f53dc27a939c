const express = require("express");
const { Client } = require("pg");

const app = express();
const client = new Client();

app.get("/api/profile", async (req, res) => {
  const limit = 12;
  const who = limit * 3 > 10 ? req.query.user : "guest";
  const result = await client.query("SELECT * FROM profiles WHERE login = '" + who + "'");
  res.json(result.rows);
});
