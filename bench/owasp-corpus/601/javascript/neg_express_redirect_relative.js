const express = require("express");
const app = express();

app.get("/logout", (req, res) => {
  req.session = null;
  const to = req.query.returnTo;
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//")) {
    return res.redirect("/");
  }
  res.redirect(to);
});
