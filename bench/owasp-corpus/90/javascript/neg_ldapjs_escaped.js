const express = require("express");
const ldap = require("ldapjs");
const { EqualityFilter } = require("ldapjs");

const app = express();
const client = ldap.createClient({ url: "ldap://ldap.corp.example" });

app.get("/people", (req, res) => {
  const filter = new EqualityFilter({ attribute: "uid", value: req.query.uid });
  const opts = { filter, scope: "sub", attributes: ["cn"] };
  client.search("ou=people,dc=corp,dc=example", opts, (err, result) => {
    const names = [];
    result.on("searchEntry", (e) => names.push(e.pojo.objectName));
    result.on("end", () => res.json(names));
  });
});
