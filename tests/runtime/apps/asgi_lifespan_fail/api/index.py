from contextlib import asynccontextmanager

from fastapi import FastAPI


@asynccontextmanager
async def lifespan(app):
    raise RuntimeError("database unreachable at startup")
    yield


app = FastAPI(lifespan=lifespan)
