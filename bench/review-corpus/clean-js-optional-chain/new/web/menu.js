function label() {
  const el = document.querySelector('#menu');
  return el?.dataset.label ?? 'menu';
}
