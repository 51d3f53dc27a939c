const express = require("express");
const app = express();

const db = require('./db');

app.get('/search', async (req, res) => {
  const rows = await db.query(`SELECT * FROM items WHERE name = '${req.query.q}'`);
  res.json(rows);
});
