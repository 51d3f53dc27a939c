import yaml from "js-yaml";
import { Request, Response } from "express";

export function importConfig(req: Request, res: Response) {
  const doc = yaml.load(req.body.config, { schema: yaml.JSON_SCHEMA });
  res.json({ imported: doc !== undefined });
}
