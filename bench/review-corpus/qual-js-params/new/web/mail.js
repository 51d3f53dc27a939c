function send(from, to, cc, bcc, subject, body, retries) {
  return deliver({ from, to, cc, bcc, subject, body }, retries);
}
