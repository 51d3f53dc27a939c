const https = require("https");
const fs = require("fs");
const axios = require("axios");

const agent = new https.Agent({ rejectUnauthorized: true, keepAlive: true, ca: fs.readFileSync("ca.pem") });

async function getStatus(url) {
  const r = await axios.get(url, { httpsAgent: agent });
  return r.status;
}

module.exports = { getStatus };
