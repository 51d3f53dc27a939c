import os
import psycopg2


def connect():
    return psycopg2.connect(host="db.internal", dbname="billing", user="billing_app",
                            password=os.environ["BILLING_DB_PASSWORD"])
