const express = require("express");
const session = require("express-session");

const app = express();
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }));

app.post("/impersonate", express.json(), (req, res) => {
  req.session.userId = req.body.userId;
  res.sendStatus(204);
});
