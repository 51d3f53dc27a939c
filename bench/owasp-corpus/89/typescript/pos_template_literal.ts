import express, { Request, Response } from "express";
import { Pool } from "pg";

const pool = new Pool();
const router = express.Router();

router.post("/login", async (req: Request, res: Response) => {
  const email: string = req.body.email;
  const rows = await pool.query(`SELECT id, hash FROM accounts WHERE email = '${email}'`);
  if (rows.rowCount === 0) {
    res.status(401).end();
    return;
  }
  res.json({ id: rows.rows[0].id });
});

export default router;
