process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";

const fetch = require("node-fetch");

async function ping(url) {
  const res = await fetch(url);
  return res.ok;
}

module.exports = { ping };
