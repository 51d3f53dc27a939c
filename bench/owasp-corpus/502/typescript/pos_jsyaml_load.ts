import yaml from "js-yaml";
import { Request, Response } from "express";

export function importConfig(req: Request, res: Response) {
  const doc = yaml.load(req.body.config, { schema: yaml.DEFAULT_FULL_SCHEMA });
  res.json({ imported: doc !== undefined });
}
