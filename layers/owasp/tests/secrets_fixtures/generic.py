import os

# positive: high-entropy literals assigned to secret-looking names
db_password = "@@GENERIC@@"
settings = {"client_secret": "@@GENERIC@@"}

# negative: not literals, placeholders, low entropy, stopword names
api_key = os.environ["API_KEY"]
token = get_token()
password = "changeme"
secret = "your_secret_here"
auth_token = "<token>"
public_key = "@@GENERIC@@"
password_hint = "@@GENERIC@@"
label = "Enter your password"
