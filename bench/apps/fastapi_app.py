"""The seed's FastAPI app (Starlette SessionMiddleware, itsdangerous cookies) on the benchmark endpoints.

Run: PORT=4000 /usr/bin/python3 bench/apps/fastapi_app.py [bare|session] [h11]
With "h11", uvicorn runs as Debian's python3-uvicorn alone gives it (asyncio loop, h11 parser);
otherwise it picks uvloop and httptools when installed, as `uvicorn[standard]` does.
"""

import os
import sys

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse
from starlette.middleware.sessions import SessionMiddleware

SECRET = "bench-secret-0123456789abcdefghijklmnopqrstuvwxyz"
MAX_AGE = 14 * 24 * 60 * 60
LARGE_BLOB = "x" * 2000
VARIANT = sys.argv[1] if len(sys.argv) > 1 else "bare"
PORT = int(os.environ.get("PORT", "4000"))

app = FastAPI()
if VARIANT == "session":
    app.add_middleware(SessionMiddleware, secret_key=SECRET, max_age=MAX_AGE)
elif VARIANT != "bare":
    raise SystemExit(f'bench app fastapi: unknown variant "{VARIANT}"')
SESSIONS = VARIANT == "session"


def fill(request: Request, data: dict) -> PlainTextResponse:
    if SESSIONS:
        request.session.update(data)
    return PlainTextResponse("ok")


@app.get("/setup")
def setup(request: Request):
    return fill(request, {"user": "alice", "count": 0})


@app.get("/setup-large")
def setup_large(request: Request):
    return fill(request, {"user": "alice", "blob": LARGE_BLOB})


@app.get("/new")
def new(request: Request):
    return fill(request, {"user": "alice"})


@app.get("/read")
@app.get("/large")
def read(request: Request):
    return PlainTextResponse(str(request.session.get("user")) if SESSIONS else "alice")


@app.get("/write")
def write(request: Request):
    if not SESSIONS:
        return PlainTextResponse("1")
    count = request.session.get("count", 0) + 1
    request.session["count"] = count
    return PlainTextResponse(str(count))


@app.get("/untouched")
def untouched():
    return PlainTextResponse("ok")


if __name__ == "__main__":
    print(f"ready fastapi/{VARIANT} on {PORT}", flush=True)
    plain = len(sys.argv) > 2 and sys.argv[2] == "h11"
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=PORT,
        log_level="warning",
        access_log=False,
        loop="asyncio" if plain else "auto",
        http="h11" if plain else "auto",
    )
