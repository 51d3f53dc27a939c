import express, { Request, Response } from "express";
import { Pool } from "pg";

const pool = new Pool();
const router = express.Router();

router.get("/accounts/:id", async (req: Request, res: Response) => {
  const id = Number(req.params.id);
  if (!Number.isInteger(id)) {
    res.status(400).end();
    return;
  }
  const rows = await pool.query(`SELECT id, email FROM accounts WHERE id = ${id}`);
  res.json(rows.rows);
});

export default router;
