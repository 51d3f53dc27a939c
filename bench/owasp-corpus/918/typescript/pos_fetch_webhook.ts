import { Request, Response } from "express";

export async function testWebhook(req: Request, res: Response) {
  const hook: string = req.body.webhookUrl;
  const r = await fetch(hook, { method: "POST", body: JSON.stringify({ ping: true }) });
  res.json({ ok: r.ok });
}
