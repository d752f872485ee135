"""`make run` (envoy/run.py) leaves nothing listening however it is stopped:
SIGTERM as `timeout`, systemd or a CI runner send it (twice, as a cgroup stop
and a parent can), SIGKILL, and a start on a port that is already taken."""
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from harness import ROOT, wait_until

RUN = ROOT / "envoy" / "run.py"


def free_block(count):
    """`count` consecutive loopback ports that can be bound now, below the
    kernel's ephemeral range (so client connections elsewhere do not take them)."""
    rng = random.Random()
    for _ in range(500):
        base = rng.randrange(20000, 32000 - count)
        if all(bindable(base + i) for i in range(count)):
            return base
    raise AssertionError("no free port block")


def bindable(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def listening(port):
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


class Run:
    def __init__(self):
        base = free_block(5)
        self.listen, self.admin, self.pods = base, base + 1, [base + 2, base + 3, base + 4]
        self.ports = [self.listen, self.admin, *self.pods]
        self.process = subprocess.Popen(
            [sys.executable, str(RUN), "--listen-port", str(self.listen), "--admin-port",
             str(self.admin), "--pod-port-base", str(self.pods[0])],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True, text=True)

    def wait_serving(self):
        def served():
            if self.process.poll() is not None:
                raise AssertionError(f"run.py exited: {self.process.stdout.read()}")
            try:
                url = f"http://127.0.0.1:{self.listen}/v1/models"
                with urllib.request.urlopen(url, timeout=2) as r:
                    return r.headers.get("x-served-by")
            except OSError:
                return None
        wait_until(served, 60, "make run to serve")

    def wait_nothing_listening(self):
        wait_until(lambda: not any(listening(p) for p in self.ports), 20,
                   f"ports {self.ports} to be free")

    def kill_all(self):
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@pytest.fixture
def run():
    started = Run()
    yield started
    started.kill_all()
    started.process.wait(timeout=10)


def test_sigterm_twice_stops_envoy_and_every_pod(run):
    run.wait_serving()
    assert all(listening(p) for p in run.ports)
    os.kill(run.process.pid, signal.SIGTERM)
    time.sleep(0.05)
    os.kill(run.process.pid, signal.SIGTERM)
    run.wait_nothing_listening()
    assert run.process.wait(timeout=15) == 0


def test_sigkill_of_run_py_still_stops_its_children(run):
    run.wait_serving()
    os.kill(run.process.pid, signal.SIGKILL)
    run.wait_nothing_listening()


def test_a_taken_port_is_refused_not_shared():
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    taken = holder.getsockname()[1]
    try:
        base = free_block(3)
        out = subprocess.run(
            [sys.executable, str(RUN), "--listen-port", str(taken), "--admin-port", str(base),
             "--pod-port-base", str(base + 1)],
            capture_output=True, text=True, timeout=30)
        assert out.returncode == 1
        assert f"{taken}" in out.stderr and "already in use" in out.stderr
        assert not listening(base) and not listening(base + 1)
    finally:
        holder.close()
