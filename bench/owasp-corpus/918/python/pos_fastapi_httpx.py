import httpx
from fastapi import FastAPI

app = FastAPI()


@app.get("/unfurl")
async def unfurl(link: str):
    async with httpx.AsyncClient() as client:
        r = await client.get(link, follow_redirects=True)
    return {"title": r.text[:80]}
