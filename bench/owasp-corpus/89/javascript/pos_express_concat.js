const express = require("express");
const mysql = require("mysql2");

const app = express();
const pool = mysql.createPool({ host: "db", user: "app", database: "shop" });

app.get("/api/items", (req, res) => {
  const category = req.query.category;
  const sql = "SELECT id, title FROM items WHERE category = '" + category + "'";
  pool.query(sql, (err, rows) => {
    if (err) return res.status(500).send("db error");
    res.json(rows);
  });
});

app.listen(3000);
