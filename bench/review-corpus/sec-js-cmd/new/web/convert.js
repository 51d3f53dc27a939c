const express = require("express");
const app = express();

const { exec } = require('child_process');

app.get('/convert', (req, res) => {
  exec('convert ' + req.query.file + ' out.png', () => res.send('ok'));
});
