def totals(db, ids):
    out = {}
    for uid in ids:
        out[uid] = db.execute('SELECT SUM(amount) FROM orders WHERE user_id = ?', (uid,)).fetchone()[0]
    return out
