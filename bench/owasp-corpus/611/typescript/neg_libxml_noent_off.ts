import { parseXml } from "libxmljs2";
import { Request, Response } from "express";

const OPTIONS = { noent: false, dtdload: false };

export function upload(req: Request, res: Response) {
  const doc = parseXml(String(req.body), OPTIONS);
  res.json({ name: doc.root()?.name() });
}
