"""The seed's FastAPI app, plus two test-only endpoints to store and show arbitrary session data.

Run by test/interop/starlette.test.ts with Debian's python3-fastapi / python3-starlette / uvicorn:
  SECRET_KEY=... /usr/bin/python3 -m uvicorn fastapi_app:app --app-dir test/interop --port 8001
"""
import base64
import json
import os
import time

import itsdangerous
from fastapi import FastAPI, Request
from starlette.middleware.sessions import SessionMiddleware

app = FastAPI()
app.add_middleware(SessionMiddleware, secret_key=os.environ["SECRET_KEY"])


# --- the seed's endpoints, unchanged ---
@app.get("/create_session")
async def session_set(request: Request):
    request.session["my_session"] = "1234"
    return "ok"


@app.get("/read_session")
async def session_info(request: Request):
    my_var = request.session.get("my_session")
    return my_var


@app.get("/delete_session")
async def session_delete(request: Request):
    my_var = request.session.pop("my_session")
    return my_var


# --- test-only endpoints ---
@app.post("/set_json")
async def set_json(request: Request):
    request.session.clear()
    request.session.update(await request.json())
    return "ok"


@app.get("/dump")
async def dump(request: Request):
    return request.session


@app.get("/mint")
async def mint(age: int):
    """A session cookie value as Starlette would have written it `age` seconds ago."""
    signer = itsdangerous.TimestampSigner(os.environ["SECRET_KEY"])
    signer.get_timestamp = lambda: int(time.time()) - age
    return signer.sign(base64.b64encode(json.dumps({"my_session": "old"}).encode())).decode()
