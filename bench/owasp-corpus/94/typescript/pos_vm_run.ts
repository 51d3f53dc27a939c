import vm from "vm";
import { Request, Response } from "express";

export function preview(req: Request, res: Response) {
  const code = req.body.template as string;
  const out = vm.runInNewContext(code, { user: { name: "demo" } });
  res.send(String(out));
}
