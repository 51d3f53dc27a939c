const mongoose = require("mongoose");

const uri = process.env.MONGO_URI || "mongodb://localhost:27017/shop";

async function connect() {
  await mongoose.connect(uri);
}

module.exports = { connect };
