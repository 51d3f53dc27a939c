def export(rows):
    header = ['id', 'name', 'email', 'created']
    lines = [','.join(header)]
    for r in rows:
        vals = [str(r.id), r.name.strip(), r.email.lower(), r.created.isoformat()]
        lines.append(','.join(v.replace(',', ' ') for v in vals))
    return '\n'.join(lines)


def export_active(rows):
    rows = [r for r in rows if r.active]
    header = ['id', 'name', 'email', 'created']
    lines = [','.join(header)]
    for r in rows:
        vals = [str(r.id), r.name.strip(), r.email.lower(), r.created.isoformat()]
        lines.append(','.join(v.replace(',', ' ') for v in vals))
    return '\n'.join(lines)
