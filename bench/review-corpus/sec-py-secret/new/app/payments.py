import os

STRIPE_KEY = 'sk_live_51HqLyjWDarjtT1zdp7dcXyZ0aB1cQ9eR4tY7uIpA'
