import vm from "vm";
import { Request, Response } from "express";

const PREVIEW = "`Hello ${user.name}`";

export function preview(req: Request, res: Response) {
  const name = String(req.body.name).slice(0, 40);
  const out = vm.runInNewContext(PREVIEW, { user: { name } });
  res.send(String(out));
}
