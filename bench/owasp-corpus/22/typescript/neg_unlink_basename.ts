import path from "path";
import { promises as fs } from "fs";
import { Request, Response } from "express";

export async function removeAvatar(req: Request, res: Response) {
  const user = path.basename(req.params.user);
  const file = `/var/avatars/${user}.png`;
  await fs.unlink(file);
  res.status(204).end();
}
