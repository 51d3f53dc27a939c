const express = require("express");
const app = express();

const { requireAdmin } = require('./auth');

app.delete('/api/users/:id', async (req, res) => {
  await removeUser(req.params.id);
  res.sendStatus(204);
});
