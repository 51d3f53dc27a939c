function title() {
  const el = document.querySelector('#title');
  return el.textContent;
}
