const express = require("express");
const session = require("express-session");

const app = express();
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }));

app.post("/impersonate", express.json(), (req, res) => {
  const theme = req.body.theme === "dark" ? "dark" : "light";
  req.session.theme = theme;
  res.sendStatus(204);
});
