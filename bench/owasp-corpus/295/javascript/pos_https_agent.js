const https = require("https");
const axios = require("axios");

const agent = new https.Agent({ rejectUnauthorized: false, keepAlive: true });

async function getStatus(url) {
  const r = await axios.get(url, { httpsAgent: agent });
  return r.status;
}

module.exports = { getStatus };
