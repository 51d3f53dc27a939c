const express = require("express");
const session = require("express-session");
const lusca = require("lusca");

const app = express();
app.use(session({ secret: process.env.SECRET, resave: false, saveUninitialized: true }));
app.use(lusca({ csrf: false, xframe: "SAMEORIGIN", hsts: { maxAge: 31536000 } }));

app.post("/transfer", (req, res) => res.send("done"));
