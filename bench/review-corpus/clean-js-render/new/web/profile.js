const express = require("express");
const app = express();

app.get('/me', requireAuth, (req, res) => {
  res.render('me', { user: req.user, tab: req.query.tab });
});
