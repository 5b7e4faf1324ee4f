#!/usr/bin/env python3
"""Mint test vectors with the real itsdangerous (Debian's python3-itsdangerous).

Run: /usr/bin/python3 scripts/make-itsdangerous-vectors.py > test/fixtures/itsdangerous-vectors.json
The output is checked in; test/codec/vectors.test.ts checks tessera against it.
"""
import base64
import hashlib
import json
import sys

import itsdangerous
from itsdangerous import BadSignature, Signer, TimestampSigner

SECRETS = ["7UzGQS7woBazLUtVQJG39ywOP7J7lkPkB0UmDhMgBR8=", "a-much-longer-secret-key-used-in-the-tests-0123456789"]
VALUES = ["", "hello", "eyJteV9zZXNzaW9uIjogIjEyMzQifQ==", "with.dots.inside", "ünïcödé ✓"]
TIMESTAMPS = [1, 255, 256, 65535, 1_700_000_000, 1_800_000_000, 2**32 - 1, 2**40]
DIGESTS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha512": hashlib.sha512}


def at(timestamp):
    """A TimestampSigner subclass whose clock is fixed."""

    class Fixed(TimestampSigner):
        def get_timestamp(self):
            return timestamp

    return Fixed


signer_vectors = [
    {"secret": s, "salt": salt, "algorithm": name, "value": v,
     "signed": Signer(s, salt=salt, digest_method=digest).sign(v).decode()}
    for s in SECRETS for salt in ["itsdangerous.Signer", "cookie-session"]
    for name, digest in DIGESTS.items() for v in VALUES
]

timestamp_vectors = [
    {"secret": s, "value": v, "timestamp": t, "signed": at(t)(s).sign(v).decode()}
    for s in SECRETS for v in VALUES[:3] for t in TIMESTAMPS
]

SESSIONS = [
    {"my_session": "1234"},
    {"user": {"id": 42, "roles": ["admin", "editor"], "profile": {"name": "Ada", "active": True}}},
    {"greeting": "Привет, мир", "emoji": "🍪", "accents": "café"},
    {"n": None, "f": 1.5, "big": 2**53 - 1, "list": [1, "two", [3]], "empty": {}},
    {},
]
starlette_vectors = [
    {"secret": s, "timestamp": t, "data": data,
     "cookie": at(t)(s).sign(base64.b64encode(json.dumps(data).encode("utf-8"))).decode()}
    for s in SECRETS for t in [1_700_000_000, 1_800_000_000] for data in SESSIONS
]

# Signatures that itsdangerous still accepts after a change: base64 that decodes to the same bytes.
lenient_vectors = []
for s in SECRETS:
    signed = Signer(s).sign("payload").decode()
    value, sig = signed.rsplit(".", 1)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    for ch in alphabet:
        altered = f"{value}.{sig[:-1]}{ch}"
        if altered == signed:
            continue
        try:
            Signer(s).unsign(altered)
        except BadSignature:
            continue
        lenient_vectors.append({"secret": s, "original": signed, "altered": altered})

# Key derivations (Signer's key_derivation): Starlette's default and the others, e.g. Flask's "hmac".
derivation_vectors = [
    {"secret": s, "salt": salt, "algorithm": name, "key_derivation": kd, "value": v,
     "signed": Signer(s, salt=salt, key_derivation=kd, digest_method=digest).sign(v).decode()}
    for s in SECRETS for salt in ["itsdangerous.Signer", "cookie-session"]
    for kd in ["concat", "django-concat", "hmac", "none"]
    for name, digest in DIGESTS.items() for v in VALUES[1:3]
]

# Key rotation: itsdangerous signs with the last key of a list; tessera with the first.
rotation_vectors = [
    {"secrets_oldest_first": [SECRETS[1], SECRETS[0]], "value": "rotate-me",
     "signed": Signer([SECRETS[1], SECRETS[0]]).sign("rotate-me").decode()}
]

# Flask's session cookie (flask.sessions.SecureCookieSessionInterface), minted with Debian's
# python3-flask exactly as Flask configures its serializer, at fixed times: plain, non-ASCII,
# compressed and tagged (tuple, bytes, Markup, UUID, datetime, a dict whose only key is a tag).
def flask_vectors():
    import datetime
    import uuid

    from flask import Flask
    from flask.sessions import session_json_serializer
    from markupsafe import Markup

    sessions = SESSIONS[:3] + [
        {"items": [{"id": i % 7, "name": "item"} for i in range(60)]},
        {"t": (1, "two", (3,)), "b": b"\x00\xff", "m": Markup("<b>x</b>"),
         "u": uuid.UUID("12345678-1234-5678-1234-567812345678"),
         "d": datetime.datetime(2023, 11, 14, 22, 13, 20, tzinfo=datetime.timezone.utc),
         "di": {" t": 1}},
    ]
    vectors = []
    for s in SECRETS:
        app = Flask("vectors")
        app.secret_key = s
        for t in [1_700_000_000, 1_800_000_000]:
            serializer = itsdangerous.URLSafeTimedSerializer(
                s, salt="cookie-session", serializer=session_json_serializer, signer=at(t),
                signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha1})
            for data in sessions:
                with app.app_context():
                    vectors.append({"secret": s, "timestamp": t, "cookie": serializer.dumps(data)})
    return vectors


json.dump({
    "generator": "scripts/make-itsdangerous-vectors.py",
    "itsdangerous": getattr(itsdangerous, "__version__", "unknown"),
    "signer": signer_vectors,
    "timestamp": timestamp_vectors,
    "starlette": starlette_vectors,
    "lenient": lenient_vectors,
    "rotation": rotation_vectors,
    "derivation": derivation_vectors,
    "flask": flask_vectors(),
}, sys.stdout, indent=1, ensure_ascii=False)
sys.stdout.write("\n")
