import { parseXml } from "libxmljs2";
import { Request, Response } from "express";

const OPTIONS = { noent: true, dtdload: true };

export function upload(req: Request, res: Response) {
  const doc = parseXml(String(req.body), OPTIONS);
  res.json({ name: doc.root()?.name() });
}
