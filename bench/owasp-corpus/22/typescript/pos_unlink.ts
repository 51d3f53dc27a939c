import { promises as fs } from "fs";
import { Request, Response } from "express";

export async function removeAvatar(req: Request, res: Response) {
  const file = `/var/avatars/${req.params.user}.png`;
  await fs.unlink(file);
  res.status(204).end();
}
