"""Fixtures: three mock vLLM pods for the session, Envoy per module or per test."""
import pytest

from harness import Envoy, MockPod


@pytest.fixture(scope="session")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("e2e")


@pytest.fixture(scope="session")
def pods(workdir):
    started = {}
    try:
        for name in ("stable", "canary", "fallback"):
            started[name] = MockPod(workdir, name, f"llm-{name}")
        yield started
    finally:
        for pod in started.values():
            pod.stop()


@pytest.fixture(scope="module")
def envoy(workdir, pods):
    """Envoy with the embedded default policy (empty plugin configuration)."""
    proxy = Envoy(workdir, pods)
    yield proxy
    proxy.stop()


@pytest.fixture
def make_envoy(workdir, pods):
    """Starts Envoys with given policies; stops them after the test."""
    started = []

    def start(policy=None, **kwargs):
        proxy = Envoy(workdir, pods, policy, **kwargs)
        started.append(proxy)
        return proxy

    yield start
    for proxy in started:
        proxy.stop()
