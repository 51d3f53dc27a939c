import tls from "tls";

export function open(host: string): tls.TLSSocket {
  return tls.connect({ host, port: 8443, rejectUnauthorized: false, servername: host });
}
