import os
import requests

API_KEY = os.getenv("SMS_API_KEY", "<your-api-key>")


def send_sms(to: str, body: str) -> int:
    r = requests.post("https://api.sms.example/v1/messages",
                      headers={"X-Api-Key": API_KEY}, json={"to": to, "body": body}, timeout=5)
    return r.status_code
