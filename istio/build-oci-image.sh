#!/usr/bin/env bash
# Builds an OCI image layout of the filter, the Wasm artifact variant Istio
# pulls with `url: oci://…` (one layer, media type
# application/vnd.module.wasm.content.layer.v1+wasm), using only coreutils.
# Push it with a standard tool, e.g.:
#   skopeo copy oci:dist/oci:0.1.0 docker://registry.example.com/platform/llm-policy:0.1.0
# Usage: istio/build-oci-image.sh WASM OUT_DIR TAG
set -euo pipefail
wasm=$1 out=$2 tag=$3
rm -rf "$out" && mkdir -p "$out/blobs/sha256"

# Stores stdin as a blob; prints "sha256:<hex> <size>".
put_blob() {
  local tmp; tmp=$(mktemp)
  cat > "$tmp"
  local digest; digest=$(sha256sum "$tmp" | cut -d' ' -f1)
  mv "$tmp" "$out/blobs/sha256/$digest"
  echo "sha256:$digest $(stat -c %s "$out/blobs/sha256/$digest")"
}

read -r layer_digest layer_size < <(put_blob < "$wasm")
created=$(date -u -d "@${SOURCE_DATE_EPOCH:-0}" +%Y-%m-%dT%H:%M:%SZ)
read -r config_digest config_size < <(printf '{"created":"%s","author":"llm-policy","platform":{"architecture":"wasm","os":"wasip1"},"layerDigests":["%s"]}' \
  "$created" "$layer_digest" | put_blob)
read -r manifest_digest manifest_size < <(printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.module.wasm.config.v1+json","digest":"%s","size":%s},"layers":[{"mediaType":"application/vnd.module.wasm.content.layer.v1+wasm","digest":"%s","size":%s,"annotations":{"org.opencontainers.image.title":"plugin.wasm"}}]}' \
  "$config_digest" "$config_size" "$layer_digest" "$layer_size" | put_blob)
printf '{"imageLayoutVersion":"1.0.0"}' > "$out/oci-layout"
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"%s"}}]}' \
  "$manifest_digest" "$manifest_size" "$tag" > "$out/index.json"
echo "built $out ($tag): manifest $manifest_digest, wasm layer $layer_digest"
