import psycopg2


def connect():
    return psycopg2.connect(host="db.internal", dbname="billing", user="billing_app",
                            password="Vq7#pLm2!xR9zT4w")
