"""A Flask app with Flask's own cookie sessions, for test/interop/flask.test.ts.

Run with Debian's python3-flask:  SECRET_KEY=... /usr/bin/python3 test/interop/flask_app.py PORT
"""
import datetime
import json
import os
import sys
import time
import uuid

from flask import Flask, request, session
from markupsafe import Markup

app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]
# tessera's default maxAge, so both sides expire a cookie at the same age.
app.config["PERMANENT_SESSION_LIFETIME"] = datetime.timedelta(seconds=1209600)

TAGGED = {
    "tuple": (1, "two", (3,)),
    "bytes": b"\x00\xffbytes",
    "markup": Markup("<b>bold</b>"),
    "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "when": datetime.datetime(2023, 11, 14, 22, 13, 20, tzinfo=datetime.timezone.utc),
    "tag_like": {" t": "not a tuple"},
    "nested": {"list": [(1, 2), {"b": b"x"}], "n": None},
}


@app.get("/create_session")
def create_session():
    session["my_session"] = "1234"
    return json.dumps("ok")


@app.get("/read_session")
def read_session():
    return json.dumps(session.get("my_session"))


@app.get("/delete_session")
def delete_session():
    return json.dumps(session.pop("my_session", None))


@app.post("/set_json")
def set_json():
    session.clear()
    session.update(request.get_json())
    return json.dumps("ok")


@app.get("/dump")
def dump():
    return json.dumps(dict(session))


@app.get("/set_tagged")
def set_tagged():
    session.clear()
    session.update(TAGGED)
    return json.dumps("ok")


@app.get("/check_tagged")
def check_tagged():
    """Whether the session holds TAGGED with every Python type intact (tuple, bytes, Markup...)."""
    same = {k: session.get(k) == v and type(session.get(k)) is type(v) for k, v in TAGGED.items()}
    return json.dumps(same)


@app.get("/repr")
def session_repr():
    return repr(sorted(session.items()))


@app.get("/mint")
def mint():
    """The cookie value Flask would have written `age` seconds ago for `{"my_session": "old"}`."""
    serializer = app.session_interface.get_signing_serializer(app)
    age = int(request.args["age"])
    serializer.signer_kwargs = dict(serializer.signer_kwargs)
    real = time.time
    time.time = lambda: real() - age
    try:
        return serializer.dumps({"my_session": "old"})
    finally:
        time.time = real


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(sys.argv[1]))
