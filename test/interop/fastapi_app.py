"""The seed's FastAPI app, plus two test-only endpoints to store and show arbitrary session data.

Run by test/interop/starlette.test.ts with Debian's python3-fastapi / python3-starlette / uvicorn:
  SECRET_KEY=... /usr/bin/python3 -m uvicorn fastapi_app:app --app-dir test/interop --port 8001
"""
import base64
import json
import math
import os
import random
import struct
import time

import itsdangerous
from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse
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


# Every kind of value Python's json module writes, including what JavaScript's JSON cannot hold
# exactly: integers past 2**53, floats written as 1.0 / -0.0 / 1e+16, and NaN / Infinity.
PYTHON_VALUES = {
    "big": 2**53 + 1,
    "huge": 10**400,
    "min_i64": -(2**63),
    "u64": 2**64 - 1,
    "one_float": 1.0,
    "neg_zero": -0.0,
    "e16": 1e16,
    "small": 1e-05,
    "tenth": 0.1,
    "max": 1.7976931348623157e308,
    "subnormal": 5e-324,
    "nan": float("nan"),
    "inf": float("inf"),
    "ninf": float("-inf"),
    "nested": {"id": 2**64, "f": 2.0, "list": [1.0, 2**70, -0.0, 3]},
    "text": "caf\u00e9 \U0001f36a \ud800",
    "atoms": [True, False, None, 0, -1, ""],
}


@app.get("/python_values")
async def python_values(request: Request):
    request.session.clear()
    request.session.update(PYTHON_VALUES)
    return "ok"


def random_value(rng, depth):
    kind = rng.randrange(8 if depth < 2 else 6)
    if kind == 0:
        return rng.randrange(-(2 ** rng.randrange(1, 200)), 2 ** rng.randrange(1, 200))
    if kind == 1:
        # Any double, from its bits: subnormals, huge, tiny, integral floats, NaN and infinities.
        return struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0]
    if kind == 2:
        return rng.choice([0.0, -0.0, 1.0, 1e16, 1e-7, 123456789012345678.0, 0.1, 2.5])
    if kind == 3:
        return "".join(chr(rng.choice([rng.randrange(32, 127), rng.randrange(0x80, 0xD800), rng.randrange(0xE000, 0x110000), rng.randrange(0, 32)])) for _ in range(rng.randrange(0, 8)))
    if kind == 4:
        return rng.choice([True, False, None])
    if kind == 5:
        return rng.randrange(-1000, 1000)
    if kind == 6:
        return [random_value(rng, depth + 1) for _ in range(rng.randrange(0, 3))]
    return {f"k{i}\u00e9": random_value(rng, depth + 1) for i in range(rng.randrange(0, 3))}


@app.get("/random_session")
async def random_session(request: Request, seed: int):
    rng = random.Random(seed)
    request.session.clear()
    request.session.update({f"key{i}": random_value(rng, 0) for i in range(rng.randrange(1, 5))})
    return "ok"


@app.get("/repr")
async def session_repr(request: Request):
    """The session exactly, as Python sees it: repr tells 1 from 1.0, -0.0 from 0.0, and shows nan."""
    return PlainTextResponse(repr(sorted(request.session.items())))


def same_value(a, b):
    """Equal as JavaScript can hold them: numbers by value (1 == 1.0, which JavaScript cannot tell
    apart), but NaN equals NaN, -0.0 is not 0.0, and booleans are not numbers."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, float) and math.isnan(a) or isinstance(b, float) and math.isnan(b):
            return isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b)
        if a == 0 and b == 0:
            return math.copysign(1, a) == math.copysign(1, b)
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


@app.post("/same_as_session")
async def same_as_session(request: Request):
    """Whether a JSON text (tessera's view of the session) holds the session Python holds."""
    theirs = json.loads(await request.body())
    return same_value(theirs, dict(request.session))
