"""The OCI image of the module (dist/oci, built by istio/build-oci-image.sh in
`make build`) is the Wasm artifact layout Istio pulls with `oci://`, and a
standard tool (skopeo) reads and copies it."""
import hashlib
import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYOUT = ROOT / "dist" / "oci"
WASM = ROOT / "dist" / "llm-policy.wasm"


def tag():
    index = json.loads((LAYOUT / "index.json").read_text())
    return index["manifests"][0]["annotations"]["org.opencontainers.image.ref.name"]


def skopeo(*args):
    return subprocess.run(["skopeo", *args], capture_output=True, text=True, check=True).stdout


def test_manifest_is_the_wasm_artifact_variant():
    manifest = json.loads(skopeo("inspect", "--raw", f"oci:{LAYOUT}:{tag()}"))
    assert manifest["mediaType"] == "application/vnd.oci.image.manifest.v1+json"
    assert manifest["config"]["mediaType"] == "application/vnd.module.wasm.config.v1+json"
    (layer,) = manifest["layers"]
    assert layer["mediaType"] == "application/vnd.module.wasm.content.layer.v1+wasm"
    wasm = WASM.read_bytes()
    assert layer["digest"] == "sha256:" + hashlib.sha256(wasm).hexdigest()
    assert layer["size"] == len(wasm)
    blob = LAYOUT / "blobs" / "sha256" / layer["digest"].split(":")[1]
    assert blob.read_bytes() == wasm, "the layer is the module, byte for byte"


def test_skopeo_copies_it_like_any_image(tmp_path):
    skopeo("copy", "-q", f"oci:{LAYOUT}:{tag()}", f"oci:{tmp_path / 'copy'}:copied")
    copied = json.loads(skopeo("inspect", "--raw", f"oci:{tmp_path / 'copy'}:copied"))
    original = json.loads(skopeo("inspect", "--raw", f"oci:{LAYOUT}:{tag()}"))
    assert copied["layers"] == original["layers"]


def test_the_version_tag_matches_the_crate():
    import tomllib  # noqa: PLC0415
    version = tomllib.loads((ROOT / "Cargo.toml").read_text())["workspace"]["package"]["version"]
    assert tag() == version
