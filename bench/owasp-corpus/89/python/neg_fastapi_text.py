from fastapi import FastAPI
from sqlalchemy import create_engine, text

app = FastAPI()
engine = create_engine("sqlite:///app.db")


@app.get("/tickets")
def tickets(status: str):
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id FROM tickets WHERE status = :status"), {"status": status}).all()
    return [r[0] for r in rows]
