#!/usr/bin/env bash
# Builds the benchmarks module (and what it needs) and runs one of its mains. See docs/benchmarks.md.
#   benchmarks/bench.sh jmh  [JMH options, e.g. -f 2 -wi 5 -i 10]
#   benchmarks/bench.sh load [--clones=2000 --rate=20 --mode=both|burst|rate --no-relay --partitions=3 --warmup=100 --timeout=600
#                            --creators=4 --cleanup --api=indexed|fabric8|real --services=threads|processes]
#     --services=processes runs each service in a JVM of its own (logs under benchmarks/target/load-*), for RSS per service
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-}"
shift || true
mvn -B -q -pl benchmarks -am package -DskipTests
CP="benchmarks/target/vmclone-benchmarks-0.1.0-SNAPSHOT.jar:$(cat benchmarks/target/classpath.txt)"
case "$what" in
  jmh)  exec java -cp "$CP" io.vmclone.bench.jmh.JmhMain "$@" ;;
  load) exec java -Xmx1g -cp "$CP" io.vmclone.bench.LoadDriver "$@" ;;
  *)    echo "usage: $0 jmh|load [options]" >&2; exit 2 ;;
esac
