import os

API_KEY = os.environ.get('API_KEY', '')
