const mongoose = require("mongoose");

const uri = "mongodb://admin:Xk2pL9vQ7rTz@mongo.internal:27017/shop?authSource=admin";

async function connect() {
  await mongoose.connect(uri);
}

module.exports = { connect };
