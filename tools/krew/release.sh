#!/usr/bin/env bash
# Builds the archive the krew manifest (deploy/krew/vmclone.yaml) names and writes its sha256 into the manifest:
#   tools/krew/release.sh [git-ref]     ref defaults to v<project version>; the archive goes to target/krew/
# The archive is the source tree at that ref under vmclone-<version>/ (git archive): krew links bin/vmclone as
# kubectl-vmclone, and the launcher builds the CLI with Maven on first use, as in a checkout (docs/cli.md).
# Upload target/krew/vmclone-<version>.tar.gz as the release asset the manifest's uri names.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
version=$(sed -n 's/^  <version>\(.*\)<\/version>/\1/p' "$root/pom.xml" | head -1)
ref=${1:-v$version}
out="$root/target/krew"
mkdir -p "$out"
archive="$out/vmclone-$version.tar.gz"
git -C "$root" archive --format=tar.gz --prefix="vmclone-$version/" -o "$archive" "$ref"
sum=$(sha256sum "$archive" | cut -d' ' -f1)
sed -i "s|^\( *sha256: \).*|\1\"$sum\"|" "$root/deploy/krew/vmclone.yaml"
echo "$archive $sum"
