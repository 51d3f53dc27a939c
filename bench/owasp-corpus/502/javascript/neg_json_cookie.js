const express = require("express");
const cookieParser = require("cookie-parser");
const serialize = require("node-serialize");

const app = express();
app.use(cookieParser());

app.get("/", (req, res) => {
  if (req.cookies.profile) {
    const raw = Buffer.from(req.cookies.profile, "base64").toString();
    const profile = JSON.parse(raw);
    res.send("Hello " + String(profile.username).length + serialize.serialize({}).length);
  } else {
    res.send("Hello");
  }
});
