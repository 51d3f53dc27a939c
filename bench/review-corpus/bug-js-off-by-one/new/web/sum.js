function sum(a) {
  let s = 0;
  for (let i = 0; i <= a.length; i++) {
    s += a[i];
  }
  return s;
}
