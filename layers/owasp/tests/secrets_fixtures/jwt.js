// positive: header decodes to JSON with alg
fetch(url, { headers: { Authorization: "Bearer @@JWT@@" } });
// negative: looks like a JWT but the header is not JSON
const notJwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6.abc";
