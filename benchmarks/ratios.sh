#!/usr/bin/env bash
# Measures the six append ratios of SPEC section 7 with the SPEC's fork and iteration counts, running every side
# once per round (GraphWAL per-commit with 16 threads, the raw floor, RocksDB sync=true with 16 threads; then,
# one writer each, GraphWAL group and none, Chronicle Queue without sync, RocksDB sync=false), round after
# round, so that the disk's drift over minutes falls on all sides alike instead of on whichever ran last.
#   benchmarks/ratios.sh [rounds]    default 2 rounds (2 forks per side) of 3 warmup + 5 measured 2 s iterations
#   benchmarks/ratios.sh ROUNDS archive   the archive's cost instead (SPEC section 11): per-commit with 16
#                             threads and group with one writer, each with the archive off, on the log's disk and
#                             on another device, each round running them in the reverse order of the round
#                             before, so that a drift steady over a pair of rounds cancels out
# Needs benchmarks/target/benchmarks.jar (benchmarks/run.sh builds it). Prints each round's rates and every
# ratio from the sums over rounds; raw CSV and JMH logs go to benchmarks/target/results/ratios/.
# GRAPHWAL_BENCH_DATA, GRAPHWAL_BENCH_OTHER_DEVICE and JAVA_HOME as for run.sh. About 3 minutes per round on 2
# cores (archive: about 2.5 minutes).
set -euo pipefail

rounds="${1:-2}"
set_name="${2:-appends}"
if [[ "$set_name" != "appends" && "$set_name" != "archive" ]]; then
  echo "usage: benchmarks/ratios.sh [ROUNDS [appends|archive]]" >&2
  exit 2
fi
cd "$(dirname "$0")/.."
java_bin="java"
if [[ -n "${JAVA_HOME:-}" ]]; then
  java_bin="$JAVA_HOME/bin/java"
fi
jar="benchmarks/target/benchmarks.jar"
if [[ ! -f "$jar" ]]; then
  echo "$jar is missing; build it first (benchmarks/run.sh does, or mvn -pl benchmarks -am package -DskipTests)" >&2
  exit 1
fi
out="benchmarks/target/results/ratios"
data="${GRAPHWAL_BENCH_DATA:-benchmarks/target/bench-data}"
rm -rf "$out"
mkdir -p "$out/sidecars" "$data"
jvm_args="-Xmx2g -Dgraphwal.bench.data=$data -Dgraphwal.bench.results=$out/sidecars -Dgraphwal.bench.pauseMillis=3000"
jvm_args="$jvm_args${GRAPHWAL_BENCH_OTHER_DEVICE:+ -Dgraphwal.bench.otherDevice=$GRAPHWAL_BENCH_OTHER_DEVICE}"

# One JMH fork in throughput mode; prints its operations per second over all threads (the CSV's score).
# Throughput, not the mean of sampled times: JMH's sample mode keeps every rare slow sample at full weight
# while it thins the common ones, which makes its mean too high wherever a few operations stall.
run() {
  local name="$1"
  shift
  "$java_bin" -Xmx1g -Djmh.ignoreLock=true -jar "$jar" "$@" -bm thrpt -tu s -f 1 -wi 3 -w 2s -i 5 -r 2s \
    -jvmArgs "$jvm_args" -rf csv -rff "$out/$name.csv" > "$out/$name.log" 2>&1
  awk -F, 'NR == 2 { gsub(/"/, "", $5); printf "%.1f\n", $5 }' "$out/$name.csv"
}

declare -A sum
add() {
  sum[$1]=$(awk -v a="${sum[$1]:-0}" -v b="$2" 'BEGIN { print a + b }')
}

ratio() {
  awk -v name="$1" -v a="$2" -v b="$3" -v goal="$4" 'BEGIN {
    v = a / b
    printf "%s measured=%.2fx goal=>=%.2fx %s  (%.0f / %.0f, sums over rounds)\n", name, v, goal, (v >= goal ? "PASS" : "MISS"), a, b
  }'
}

if [[ "$set_name" == "archive" ]]; then
  configurations=("PER_COMMIT off 16" "PER_COMMIT file 16" "PER_COMMIT other-device 16" "GROUP off 1" "GROUP file 1"
    "GROUP other-device 1")
  for round in $(seq 1 "$rounds"); do
    order=("${configurations[@]}")
    if (( round % 2 == 0 )); then
      order=()
      for ((i = ${#configurations[@]} - 1; i >= 0; i--)); do
        order+=("${configurations[i]}")
      done
    fi
    line="round $round:"
    for configuration in "${order[@]}"; do
      read -r mode archive threads <<< "$configuration"
      rate=$(run "archive-$mode-$archive-$round" ArchiveCommitBenchmark -p mode="$mode" -p archive="$archive" \
        -t "$threads")
      add "$mode-$archive" "$rate"
      line="$line $mode/$archive ${threads}t $(printf '%.0f' "$rate")/s"
      cpu="$out/sidecars/archive-cpu-$mode-$archive.properties"
      if [[ -f "$cpu" ]]; then
        line="$line (archiver $(awk -F= '$1 == "cores" { c = $2 } $1 == "kernelShare" { k = $2 }
          END { printf "%.2f cores, %.0f%% kernel", c, k * 100 }' "$cpu"))"
        rm -f "$cpu"
      fi
      line="$line;"
    done
    echo "$line"
  done
  ratio archive-on-per-commit-16t-vs-off "${sum[PER_COMMIT-file]}" "${sum[PER_COMMIT-off]}" 0.95
  ratio archive-on-other-device-per-commit-16t-vs-off "${sum[PER_COMMIT-other-device]}" "${sum[PER_COMMIT-off]}" 0.95
  ratio archive-on-group-1t-vs-off "${sum[GROUP-file]}" "${sum[GROUP-off]}" 0.95
  ratio archive-on-other-device-group-1t-vs-off "${sum[GROUP-other-device]}" "${sum[GROUP-off]}" 0.95
  exit 0
fi

for round in $(seq 1 "$rounds"); do
  per_commit=$(run "per-commit-$round" GraphWalAppendBenchmark -p syncMode=PER_COMMIT -p recordBytes=256 -t 16)
  sidecar="$out/sidecars/fsync-batch-PER_COMMIT-16t-256B-thrpt.properties"
  bytes=$(grep '^bytesPerFsync=' "$sidecar" | cut -d= -f2)
  per_fsync=$(grep '^recordsPerFsync=' "$sidecar" | cut -d= -f2)
  fsyncs=$(run "floor-$round" RawFloorBenchmark -p bytesPerFsync="$bytes")
  floor=$(awk -v f="$fsyncs" -v r="$per_fsync" 'BEGIN { printf "%.1f\n", f * r }')
  rocksdb_sync=$(run "rocksdb-sync-$round" RocksDbAppendBenchmark -p sync=true -p recordBytes=256 -t 16)
  group=$(run "group-$round" GraphWalAppendBenchmark -p syncMode=GROUP -p recordBytes=256 -t 1)
  none=$(run "none-$round" GraphWalAppendBenchmark -p syncMode=NONE -p recordBytes=256 -t 1)
  chronicle=$(run "chronicle-$round" ChronicleAppendBenchmark -p syncMode=NONE -p recordBytes=256 -t 1)
  rocksdb_nosync=$(run "rocksdb-nosync-$round" RocksDbAppendBenchmark -p sync=false -p recordBytes=256 -t 1)
  printf 'round %d: per-commit 16t %.0f/s (%.1f records, %d B per fsync), floor %.0f/s, RocksDB sync 16t %.0f/s; ' \
    "$round" "$per_commit" "$per_fsync" "$bytes" "$floor" "$rocksdb_sync"
  printf 'group %.0f/s, none %.0f/s, Chronicle %.0f/s, RocksDB no sync %.0f/s\n' \
    "$group" "$none" "$chronicle" "$rocksdb_nosync"
  add per_commit "$per_commit"
  add floor "$floor"
  add rocksdb_sync "$rocksdb_sync"
  add group "$group"
  add none "$none"
  add chronicle "$chronicle"
  add rocksdb_nosync "$rocksdb_nosync"
done

ratio per-commit-16t-256B-vs-raw-floor "${sum[per_commit]}" "${sum[floor]}" 0.8
ratio per-commit-16t-256B-vs-rocksdb-sync "${sum[per_commit]}" "${sum[rocksdb_sync]}" 2
ratio group-1t-256B-vs-chronicle-nosync "${sum[group]}" "${sum[chronicle]}" 0.5
ratio group-1t-256B-vs-rocksdb-nosync "${sum[group]}" "${sum[rocksdb_nosync]}" 2
ratio none-1t-256B-vs-chronicle-nosync "${sum[none]}" "${sum[chronicle]}" 0.5
ratio none-1t-256B-vs-rocksdb-nosync "${sum[none]}" "${sum[rocksdb_nosync]}" 2
