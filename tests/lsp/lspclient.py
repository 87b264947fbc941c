"""A small LSP client for tests: spawns `nodehint --stdio`, frames messages, reads every frame
the server writes (stdout must hold frames only), answers the server's own requests, and
matches replies as JSON subsets. Python 3 standard library only."""
import json
import os
import queue
import subprocess
import threading
import time

TIMEOUT = float(os.environ.get("LSP_TEST_TIMEOUT", "20"))
CLIENTS = []  # every Client started, so a test runner can check each one's stderr at the end
SANITIZER_MARKS = (b"ERROR: AddressSanitizer", b"ERROR: LeakSanitizer", b"runtime error:")


def frame(obj_or_bytes):
    body = obj_or_bytes if isinstance(obj_or_bytes, bytes) else json.dumps(obj_or_bytes).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def subset(expected, actual):
    """True if `expected` is contained in `actual`: dict keys recursively, lists element-wise
    (same length), other values equal. The string "*" matches anything present."""
    if expected == "*":
        return True
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and subset(v, actual[k])
                                                for k, v in expected.items())
    if isinstance(expected, list):
        return isinstance(actual, list) and len(expected) == len(actual) and all(
            subset(e, a) for e, a in zip(expected, actual))
    return expected == actual


class Client:
    def __init__(self, binary, args=("--stdio",), settings=None, cwd=None):
        self.proc = subprocess.Popen([binary] + list(args), stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
        self.inbox = queue.Queue()
        self.notifications = []     # every notification, in order
        self.server_requests = []   # every request the server sent
        self.framing_errors = []    # stdout bytes that were not a frame
        self.settings = settings    # answer to workspace/configuration: fn(item) -> value
        self.next_id = 1
        self.stderr = b""
        CLIENTS.append(self)
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    # --- reading ---
    def _read_stderr(self):
        for chunk in iter(lambda: self.proc.stderr.read1(65536), b""):
            self.stderr += chunk

    def _read_stdout(self):
        out = self.proc.stdout
        while True:
            header = b""
            while not header.endswith(b"\r\n\r\n"):
                c = out.read(1)
                if not c:
                    self.inbox.put(None)
                    return
                header += c
            length = None
            for line in header.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if length is None or not header.startswith(b"Content-Length"):
                self.framing_errors.append(header)
                self.inbox.put(None)
                return
            body = out.read(length)
            msg = json.loads(body)
            if "method" in msg and "id" in msg:
                self.server_requests.append(msg)
                self._answer(msg)
            elif "method" in msg:
                self.notifications.append(msg)
            self.inbox.put(msg)

    def _answer(self, msg):
        result = None
        if msg["method"] == "workspace/configuration":
            result = [self.settings(item) if self.settings else None
                      for item in msg["params"]["items"]]
        self.send({"jsonrpc": "2.0", "id": msg["id"], "result": result})

    # --- writing ---
    def send_raw(self, data):
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
        except BrokenPipeError:
            pass

    def send(self, msg):
        self.send_raw(frame(msg))

    def notify(self, method, params=None):
        msg = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)

    def request_async(self, method, params=None, id=None):
        if id is None:
            id = self.next_id
            self.next_id += 1
        msg = {"jsonrpc": "2.0", "id": id, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return id

    def request(self, method, params=None, id=None):
        return self.wait_response(self.request_async(method, params, id))

    # --- waiting ---
    def _pump(self, until, timeout):
        """Consumes the inbox until until(msg) is true for a message; returns it or None."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                msg = self.inbox.get(timeout=max(0.01, deadline - time.time()))
            except queue.Empty:
                return None
            if msg is None:
                self.inbox.put(None)
                return None
            if until(msg):
                return msg
        return None

    def wait_response(self, id, timeout=TIMEOUT):
        return self._pump(lambda m: "method" not in m and m.get("id") == id, timeout)

    def wait_notification(self, method, pred=lambda p: True, timeout=TIMEOUT):
        return self._pump(lambda m: m.get("method") == method and "id" not in m
                          and pred(m.get("params")), timeout)

    def notified(self, method, pred=lambda p: True, since=0, timeout=TIMEOUT):
        """The first notification `method` (matching pred) among all received from index
        `since` on, waiting for it if needed; unlike wait_notification it also finds
        notifications that an earlier wait passed over."""
        deadline = time.time() + timeout
        while True:
            for n in self.notifications[since:]:
                if n["method"] == method and pred(n.get("params")):
                    return n
            if time.time() >= deadline:
                return None
            self._pump(lambda m: m.get("method") == method, min(0.1, deadline - time.time()))

    def wait_diagnostics(self, uri, version=None, timeout=TIMEOUT):
        msg = self.wait_notification(
            "textDocument/publishDiagnostics",
            lambda p: p["uri"] == uri and (version is None or p.get("version") == version), timeout)
        return msg["params"]["diagnostics"] if msg else None

    def settle(self, seconds=0.3):
        """Drains whatever arrives within `seconds`."""
        self._pump(lambda m: False, seconds)

    # --- conveniences ---
    def initialize(self, capabilities=None, init_options=None, folders=None, root_uri=None):
        params = {"processId": os.getpid(), "capabilities": capabilities or {},
                  "rootUri": root_uri}
        if init_options is not None:
            params["initializationOptions"] = init_options
        if folders is not None:
            params["workspaceFolders"] = [{"uri": u, "name": os.path.basename(u)} for u in folders]
        r = self.request("initialize", params)
        self.notify("initialized", {})
        return r

    def open(self, uri, text, version=1, language="javascript"):
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": language, "version": version, "text": text}})

    def change(self, uri, version, changes):
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                               "contentChanges": changes})

    def hover(self, uri, line, character):
        return self.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                   "position": {"line": line,
                                                                "character": character}})

    def close(self, timeout=TIMEOUT):
        """Closes stdin; returns the exit code."""
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return None

    def sanitizer_report(self):
        """Stops the server if still running; returns its sanitizer output, or None."""
        if self.proc.poll() is None:
            self.close(timeout=5)
        self.proc.wait()
        time.sleep(0.05)  # let the stderr thread take the last bytes
        return self.stderr if any(m in self.stderr for m in SANITIZER_MARKS) else None

    def shutdown_exit(self):
        r = self.request("shutdown")
        self.notify("exit")
        return r, self.close()
