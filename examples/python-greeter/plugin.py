#!/usr/bin/env python3
"""A greeter plugin for @x/host, in Python with the standard library only.

It speaks the x wire protocol (docs/protocol.md): JSON-RPC 2.0, one JSON message per line, on
file descriptor 3. The host starts it as its package.json says (xPlugin.command) and offers the
magic cookie and its protocol versions in the environment; the plugin sends the handshake, then
answers x/call and x/health until fd 3 reaches EOF. stdout and stderr are free for logs.
"""

import json
import os
import sys
import threading
import time

COOKIE_KEY = "X_PLUGIN_MAGIC_COOKIE"
COOKIE_VALUE = "7f3c9e52-x-plugin-kit-handshake"
VERSIONS_KEY = "X_PLUGIN_PROTOCOL_VERSIONS"
TALKBACK_KEY = "X_PLUGIN_TALKBACK"  # the host offers x/init, x/host, x/dispose (docs/protocol.md)
SPOKEN = [1]  # the wire protocol versions this file implements

# Test knobs, read by the host's tests only (packages/host/test/python-plugin.test.ts).
CRASH_ON = os.environ.get("X_PY_CRASH_ON")  # a method name: calling it exits the process
SLOW_MS = int(os.environ.get("X_PY_SLOW_MS", "0"))  # greet sleeps this long first
if "X_PY_VERSIONS" in os.environ:  # pretend to speak other versions than SPOKEN
    SPOKEN = [int(v) for v in os.environ["X_PY_VERSIONS"].split(",")]


# --- The plugin: the "greeter" contract's two methods ------------------------------------------


CONFIG = {}  # the load option `config`, from x/init
WIRE = None  # the channel to the host, set by main()


def greet(name):
    if not isinstance(name, str):
        raise TypeError("name must be a string")
    if SLOW_MS:
        time.sleep(SLOW_MS / 1000)
    print(f"greeting {name}")  # stdout is not the protocol: the host logs it as info
    if CONFIG.get("askHost"):
        # A host function (the contract's host section), called while this call waits: x/host.
        name = WIRE.call_host("decorate", [name])
    return f"Bonjour, {name}! Enchanté."


def lang():
    return "Français"


METHODS = {"greet": greet, "lang": lang}


# --- The protocol -------------------------------------------------------------------------------


class Wire:
    """Writes messages to fd 3, one line each, from any thread."""

    def __init__(self, fd):
        # Buffered and flushed per message: a raw write() to a pipe may write only part of a line.
        self.out = os.fdopen(os.dup(fd), "wb")
        self.lock = threading.Lock()
        self.running = set()  # ids of calls still being computed
        self.next_id = 1
        self.waiting = {}  # id of a request to the host -> [threading.Event, answer]

    def send(self, message, answering=None):
        """Sends one message; an answer to call `answering` only if that call still waits for one."""
        line = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
        with self.lock:
            if answering is not None:
                if answering not in self.running:
                    return  # it was cancelled, and that was answered already
                self.running.remove(answering)
            try:
                self.out.write(line)
                self.out.flush()
            except OSError:
                pass  # the host is gone; reading fd 3 will see EOF and end the plugin

    def reply(self, call_id, result=None, error=None):
        message = {"jsonrpc": "2.0", "id": call_id}
        if error is None:
            message["result"] = result
        else:
            message["error"] = error
        self.send(message, answering=call_id)

    def call_host(self, fn, args):
        """Calls a host function and waits for its answer (on this call's thread; fd 3 is read by main)."""
        with self.lock:
            request_id = f"py-{self.next_id}"  # ids only have to be unique among this side's requests
            self.next_id += 1
            self.waiting[request_id] = entry = [threading.Event(), None]
        self.send({"jsonrpc": "2.0", "id": request_id, "method": "x/host", "params": {"fn": fn, "args": args}})
        entry[0].wait()
        answer = entry[1]
        if "error" in answer:  # the host refused it, or it threw: -32002 with its name, message, code
            data = answer["error"].get("data") or {}
            raise RuntimeError(f"{data.get('code', '')} {answer['error'].get('message')}".strip())
        return answer.get("result")

    def answered(self, message):
        """An answer to one of this side's requests (x/host)."""
        with self.lock:
            entry = self.waiting.pop(message.get("id"), None)
        if entry is not None:
            entry[1] = message
            entry[0].set()

    def log(self, level, message):
        self.send({"jsonrpc": "2.0", "method": "x/log", "params": {"level": level, "message": message}})


def call(wire, call_id, method, args):
    """Runs one contract method on its own thread, so that health checks and cancels still get read."""
    if method == CRASH_ON:
        os._exit(3)
    try:
        wire.reply(call_id, result=METHODS[method](*args))
    except Exception as e:  # the plugin threw: -32001, with the error's name and message
        name = type(e).__name__
        data = {"name": name, "message": str(e)}
        wire.reply(call_id, error={"code": -32001, "message": f"{name}: {e}", "data": data})


def handle(wire, message, started):
    """Dispatches one message from the host."""
    method, call_id, params = message.get("method"), message.get("id"), message.get("params")
    if method is None and call_id is not None:  # an answer to our x/host
        wire.answered(message)
        return
    if call_id is None:  # a notification
        if method == "$/cancelRequest" and isinstance(params, dict):
            cancelled = "The request was cancelled."
            wire.reply(params.get("id"), error={"code": -32800, "message": cancelled})
        return  # any other notification (and an answer: the host sends none) is ignored
    if not isinstance(method, str):
        wire.send({"jsonrpc": "2.0", "id": call_id, "error": {"code": -32600, "message": "Invalid request"}})
    elif method == "x/health":
        uptime = round((time.monotonic() - started) * 1000)
        wire.send({"jsonrpc": "2.0", "id": call_id, "result": {"ok": True, "uptimeMs": uptime}})
    elif method == "x/init" and isinstance(params, dict):
        CONFIG.clear()
        CONFIG.update(params.get("config") or {})
        wire.send({"jsonrpc": "2.0", "id": call_id, "result": {"factory": False}})
    elif method == "x/dispose":  # nothing to release here; answered so that the host ends it at once
        wire.send({"jsonrpc": "2.0", "id": call_id, "result": None})
    elif method != "x/call":
        wire.send({"jsonrpc": "2.0", "id": call_id, "error": {"code": -32601, "message": f"Unknown method {method}"}})
    elif (
        not isinstance(params, dict)
        or params.get("method") not in METHODS
        or not isinstance(params.get("args"), list)
    ):
        invalid = f"Invalid params: expected {{ method, args }} with a method of {sorted(METHODS)}"
        wire.send({"jsonrpc": "2.0", "id": call_id, "error": {"code": -32602, "message": invalid}})
    else:
        with wire.lock:
            wire.running.add(call_id)
        threading.Thread(target=call, args=(wire, call_id, params["method"], params["args"]), daemon=True).start()


def main():
    if os.environ.get(COOKIE_KEY) != COOKIE_VALUE:
        sys.stderr.write(
            "This is a plugin for @x/host, not a program: it speaks JSON-RPC on fd 3.\n"
            "Load it from Node with loadPlugin('python-greeter'), or try: x-plugin call ./examples/python-greeter greet World\n"
        )
        sys.exit(1)
    # A pipe makes stdout block-buffered; line buffering lets each print reach the host's log at once.
    sys.stdout.reconfigure(line_buffering=True)
    started = time.monotonic()
    offered = [int(v) for v in os.environ.get(VERSIONS_KEY, "").split(",") if v.strip().isdigit()]
    common = [v for v in SPOKEN if v in offered]
    global WIRE
    wire = WIRE = Wire(3)
    # The plugin speaks first: the newest version both sides speak (else its own newest, which the
    # host refuses with ERR_PLUGIN_HANDSHAKE), and what it exports, for the host's conformance check.
    handshake = {
        "protocolVersion": max(common or SPOKEN),
        "versions": SPOKEN,
        "plugin": {"exportNames": ["plugin"], "members": {name: "function" for name in METHODS}},
    }
    if os.environ.get(TALKBACK_KEY) == "1":  # the host offered it: accept (x/init, x/host, x/dispose)
        handshake["talkback"] = True
    wire.send({"jsonrpc": "2.0", "method": "x/handshake", "params": handshake})
    wire.log("info", f"ready: Python {sys.version.split()[0]}, pid {os.getpid()}")
    with os.fdopen(3, "rb") as reader:
        for line in reader:  # ends at EOF: the host closed the pipe, or died
            if not line.strip():
                continue
            try:
                message = json.loads(line)
            except ValueError:
                print(f"not JSON, ignored: {line[:80]!r}", file=sys.stderr)
                continue
            # The host writes one message per line; a line holding an array of them is allowed too.
            for one in message if isinstance(message, list) else [message]:
                if isinstance(one, dict):
                    handle(wire, one, started)


if __name__ == "__main__":
    main()
