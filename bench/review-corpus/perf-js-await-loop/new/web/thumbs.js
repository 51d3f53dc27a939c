async function thumbs(imgs) {
  const out = [];
  for (const i of imgs) {
    out.push(await resize(i));
  }
  return out;
}
