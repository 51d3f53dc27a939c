const express = require("express");
const app = express();

app.get('/api/export', requireAuth, (req, res) => res.json(exportAll()));
