async function users(ids) {
  const out = [];
  for (const id of ids) {
    const r = await fetch('/api/users/' + id);
    out.push(await r.json());
  }
  return out;
}
