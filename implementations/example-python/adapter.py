#!/usr/bin/env python3
"""A BitMaelum adapter in 50 lines (ADAPTER.md protocol 1): two ops, standard library only."""
import hashlib, json, re, sys

class Refused(Exception):
    def __init__(self, cls, message):
        super().__init__(message)
        self.cls = cls

def hash_new(s):  # Go hash.New: lowercase hex SHA-256 of the UTF-8 bytes (formats.md §2.1)
    return hashlib.sha256(s.encode("utf-8")).hexdigest()

def text(args, name):
    if not isinstance(args.get(name), str):
        raise Refused("InvalidInput", "args.%s: expected a string" % name)
    return args[name]

def address_hash(args):
    # Go lower-cases rune by rune (U+0130 -> "i"; Python's lower() would give two characters),
    # then removes every "." and "-" (formats.md §2.2).
    s = "".join(c.lower()[0] for c in text(args, "address")).replace(".", "").replace("-", "")
    # fullmatch, not "$": "$" also matches before a final newline, and Go refuses "jay!\n".
    m = re.fullmatch(r"([a-z0-9]{3,64})(?:@([a-z0-9]{2,64}))?!", s)
    if not m:
        raise Refused("InvalidAddress", "args.address: not a BitMaelum address")
    local, org = hash_new(m.group(1)), hash_new(m.group(2) or "")
    return {"address": s, "local_hash": local, "org_hash": org, "hash": hash_new(local + org)}

def hello(args):
    if args.get("protocol") != 1:
        raise Refused("InvalidInput", "args.protocol: this adapter speaks protocol 1")
    info = {"name": "example-python", "version": "1.0.0", "language": "python"}
    return {"protocol": 1, "implementation": info, "ops": list(OPS), "deterministic": True}

OPS = {"hello": hello, "hash.string": lambda a: {"hash": hash_new(text(a, "value"))}, "address.hash": address_hash}

def answer(line):
    rid = None
    try:
        req = json.loads(line)
        rid = req.get("id") if isinstance(req, dict) and isinstance(req.get("id"), int) else None
        if rid is None or req.get("op") not in OPS or not isinstance(req.get("args"), dict):
            raise Refused("InvalidInput", "a request needs an integer id, a known op and an args object")
        return {"id": rid, "ok": True, "result": OPS[req["op"]](req["args"])}
    except Refused as e:
        return {"id": rid, "ok": False, "error": {"class": e.cls, "message": str(e)}}
    except ValueError as e:  # not JSON, or text that is not valid Unicode
        return {"id": rid, "ok": False, "error": {"class": "InvalidInput", "message": str(e)}}

for line in sys.stdin:
    print(json.dumps(answer(line)), flush=True)
