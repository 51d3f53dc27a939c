import { Request, Response } from "express";

const ALLOWED = ["https://hooks.slack.com/services/T0/B0/X", "https://example.org/hook"];

export async function testWebhook(req: Request, res: Response) {
  const hook: string = req.body.webhookUrl;
  if (!ALLOWED.includes(hook)) {
    res.status(400).json({ error: "webhook not allowed" });
    return;
  }
  const r = await fetch(hook, { method: "POST", body: JSON.stringify({ ping: true }) });
  res.json({ ok: r.ok });
}
