async function save(doc) {
  try {
    await store.put(doc);
  } catch (e) {
  }
}
