#!/usr/bin/env bash
# Builds the real kube-apiserver, kubectl and etcd from the Go module proxy, once per machine and version,
# into the layout fabric8's kube-api-test looks for: <dir>/k8s/<version>-linux-amd64/{etcd,kube-apiserver,kubectl}.
#   tools/kube-binaries/build.sh [dir]      dir defaults to $VMCLONE_KUBE_DIR or ~/.cache/vmclone/kube-api-test
# Prints the directory holding the binaries. Skips the build when all three are present and answer --version.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=$(sed -n 's/^require k8s.io\/kubernetes v\([0-9.]*\).*/\1/p;s/^\tk8s.io\/kubernetes v\([0-9.]*\).*/\1/p' "$here/go.mod" | head -1)
root=${1:-${VMCLONE_KUBE_DIR:-$HOME/.cache/vmclone/kube-api-test}}
out="$root/k8s/$version-linux-amd64"

present() {
  [ -x "$out/kube-apiserver" ] && [ -x "$out/kubectl" ] && [ -x "$out/etcd" ] \
    && "$out/kube-apiserver" --version >/dev/null 2>&1 && "$out/etcd" --version >/dev/null 2>&1
}
if present; then
  echo "$out"
  exit 0
fi
mkdir -p "$root"
# One build at a time per machine (two test JVMs may ask at once); the second finds the binaries present.
exec 9>"$root/.build.lock"
flock 9
if present; then
  echo "$out"
  exit 0
fi
command -v go >/dev/null || { echo "build.sh: the Go toolchain is needed to build kube-apiserver $version (https://go.dev/doc/install)" >&2; exit 1; }
mkdir -p "$out"
echo "Building kube-apiserver, kubectl $version and etcd from the Go module proxy into $out (first time only; see README for time and memory)" >&2
start=$(date +%s)
cd "$here"
# -trimpath and no VCS stamping: the binaries depend only on go.mod/go.sum. Build into a temp dir, then
# move, so an interrupted build never leaves a half-written binary that looks present.
tmp=$(mktemp -d "$out/.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# The version stamp Kubernetes' own build (hack/lib/version.sh) sets, so /version and `kubectl version` say 1.x.y.
v=k8s.io/component-base/version
minor=$(echo "$version" | cut -d. -f2)
ldflags="-s -w -X $v.gitVersion=v$version -X $v.gitMajor=1 -X $v.gitMinor=$minor -X $v.gitTreeState=clean \
  -X $v.buildDate=1970-01-01T00:00:00Z -X $v.gitCommit=module-proxy-v$version"
GOFLAGS=-mod=readonly CGO_ENABLED=0 go build -trimpath -buildvcs=false -ldflags "$ldflags" -o "$tmp/" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl ./etcd
mv "$tmp/kube-apiserver" "$tmp/kubectl" "$tmp/etcd" "$out/"
echo "Built in $(( $(date +%s) - start )) s: $("$out/kube-apiserver" --version), $("$out/etcd" --version | head -1)" >&2
echo "$out"
