import jwt from "jsonwebtoken";

const ALGS: jwt.Algorithm[] = ["HS512"];

export function claims(token: string, key: string) {
  return jwt.verify(token, key, { algorithms: ALGS });
}
