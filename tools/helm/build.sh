#!/usr/bin/env bash
# Builds helm from the Go module proxy, once per machine and version, as tools/kube-binaries/build.sh does for
# kube-apiserver: <dir>/<version>/helm.
#   tools/helm/build.sh [dir]      dir defaults to $VMCLONE_HELM_DIR or ~/.cache/vmclone/helm
# Prints the path of the helm binary. Skips the build when it is present and answers `helm version`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=$(sed -n 's/^\thelm.sh\/helm\/v3 \(v[0-9.]*\).*/\1/p;s/^require helm.sh\/helm\/v3 \(v[0-9.]*\).*/\1/p' "$here/go.mod" | head -1)
[ -n "$version" ] || { echo "build.sh: no helm.sh/helm/v3 version in $here/go.mod" >&2; exit 1; }
root=${1:-${VMCLONE_HELM_DIR:-$HOME/.cache/vmclone/helm}}
out="$root/$version"

present() {
  [ -x "$out/helm" ] && "$out/helm" version --short 2>/dev/null | grep -q "^$version"
}
if present; then
  echo "$out/helm"
  exit 0
fi
mkdir -p "$root"
# One build at a time per machine; the second finds the binary present.
exec 9>"$root/.build.lock"
flock 9
if present; then
  echo "$out/helm"
  exit 0
fi
command -v go >/dev/null || { echo "build.sh: the Go toolchain is needed to build helm $version (https://go.dev/doc/install)" >&2; exit 1; }
mkdir -p "$out"
echo "Building helm $version from the Go module proxy into $out (first time only; docs/operations.md gives the time)" >&2
start=$(date +%s)
cd "$here"
# Build into a temp dir, then move, so an interrupted build never leaves a half-written binary that looks present.
tmp=$(mktemp -d "$out/.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# The version stamp helm's own Makefile sets, so `helm version` names the release.
ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$version -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
GOFLAGS=-mod=readonly CGO_ENABLED=0 go build -trimpath -buildvcs=false -ldflags "$ldflags" -o "$tmp/helm" helm.sh/helm/v3/cmd/helm
mv "$tmp/helm" "$out/helm"
echo "Built in $(( $(date +%s) - start )) s: helm $("$out/helm" version --short)" >&2
echo "$out/helm"
