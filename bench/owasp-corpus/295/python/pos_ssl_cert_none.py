import socket
import ssl


def connect(host: str, port: int = 443):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    sock = socket.create_connection((host, port))
    return ctx.wrap_socket(sock, server_hostname=host)
