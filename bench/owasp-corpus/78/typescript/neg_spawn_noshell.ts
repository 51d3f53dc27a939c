import { spawn } from "child_process";
import { Request, Response } from "express";

export function archive(req: Request, res: Response): void {
  const dir = String(req.body.dir);
  const child = spawn("tar", ["-czf", "/tmp/out.tgz", "--", dir]);
  child.on("close", (code) => res.json({ code }));
}
