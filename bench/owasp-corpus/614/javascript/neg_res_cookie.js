const express = require("express");
const app = express();

app.post("/login", (req, res) => {
  res.cookie("session", "s3ss10n", { httpOnly: true, secure: true, sameSite: "lax", maxAge: 3600000 });
  res.send("ok");
});
