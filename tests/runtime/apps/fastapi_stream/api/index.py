import asyncio

from fastapi import FastAPI
from fastapi.responses import StreamingResponse

app = FastAPI()


@app.get("/big")
async def big():
    async def body():
        for i in range(96):  # 6 MiB
            if i % 16 == 0:
                await asyncio.sleep(0.02)
            yield b"y" * 65536

    return StreamingResponse(body(), media_type="application/octet-stream")
