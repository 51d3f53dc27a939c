def fresh(ids, rows):
    known = [r.id for r in rows]
    out = []
    for i in ids:
        if i not in known:
            out.append(i)
    return out
