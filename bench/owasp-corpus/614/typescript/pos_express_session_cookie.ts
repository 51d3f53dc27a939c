import express from "express";
import session from "express-session";

const app = express();
const production = process.env.NODE_ENV === "production";

app.use(
  session({
    secret: process.env.SESSION_SECRET as string,
    resave: false,
    saveUninitialized: false,
    cookie: { secure: false, httpOnly: true, sameSite: "strict" },
  })
);

export default app;
