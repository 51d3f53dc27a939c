async function load(ids) {
  return Promise.all(ids.map((id) => get(id)));
}
