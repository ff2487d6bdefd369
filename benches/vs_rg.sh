#!/usr/bin/env bash
# Throughput target of issue 14: the whole `cxtriage check` against `rg -c CM50` and
# `wc -l` on the same 256 MiB activity log, plain, as a zip member and as .gz.
#   benches/vs_rg.sh [RUNS] [BIN...]      default 5 runs, target/release/cxtriage
# Each run goes through every command in turn (alternating, so that the load of other
# processes falls on all of them alike) and the median is printed: wall time, CPU time
# (user + sys) and the largest peak RSS. Needs GNU time (/usr/bin/time), ripgrep (`rg`)
# and python3 (the zip); inputs go to ${BENCH_DIR:-/tmp/cxtriage-bench}, never into the
# repository. Several BINs (e.g. a copy of the previous build) are timed side by side.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
shift || true
BINS=("$@")
[ ${#BINS[@]} -gt 0 ] || BINS=(target/release/cxtriage)
DIR=${BENCH_DIR:-/tmp/cxtriage-bench}
SYNTH=target/release/examples/synth
mkdir -p "$DIR"
for b in "${BINS[@]}" "$SYNTH"; do
  [ -x "$b" ] || { echo "build first: cargo build --release --examples ($b missing)" >&2; exit 2; }
done
command -v rg > /dev/null || { echo "ripgrep (rg) is needed for the baseline" >&2; exit 2; }
LOG=$DIR/synth-256m.log
[ -s "$LOG" ] || "$SYNTH" --size 256M --out "$LOG"
[ -s "$DIR/synth-256m.zip" ] || python3 - "$DIR" <<'PY'
import sys, zipfile
d = sys.argv[1]
with zipfile.ZipFile(f"{d}/synth-256m.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
    z.write(f"{d}/synth-256m.log", "Logs/3CXPhoneSystem.log")
PY
[ -s "$LOG.gz" ] || gzip -1 -c "$LOG" > "$LOG.gz"

median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {printf "%.2f (%.2f-%.2f)", a[int((NR+1)/2)], a[1], a[NR]}'; }
bench() {
  local input=$1; shift
  local -a cmds=("$@") wall=() cpu=() rss=()
  cat "$input" > /dev/null   # warm the page cache
  for ((r = 0; r < RUNS; r++)); do
    for k in "${!cmds[@]}"; do
      # `check` exits 1 when it finds a problem: the status is not the measure here.
      /usr/bin/time -f '%e %U %S %M' -o "$DIR/time" ${cmds[$k]} "$input" > /dev/null 2>&1 || true
      read -r e u s m < <(tail -1 "$DIR/time")
      wall[$k]+="$e "
      cpu[$k]+="$(echo "$u + $s" | bc) "
      rss[$k]="$(printf '%s\n%s\n' "${rss[$k]:-0}" "$m" | sort -n | tail -1)"
    done
  done
  for k in "${!cmds[@]}"; do
    printf '%-20s %-44s wall %-18s cpu %-18s peak %6.1f MiB\n' "$(basename "$input")" "${cmds[$k]}" \
      "$(echo "${wall[$k]}" | median)" "$(echo "${cpu[$k]}" | median)" "$(echo "${rss[$k]} / 1024" | bc -l)"
  done
}
checks=()
for b in "${BINS[@]}"; do checks+=("$b check -q"); done
bench "$LOG" "rg -c CM50" "wc -l" "${checks[@]}"
bench "$DIR/synth-256m.zip" "${checks[@]}"
bench "$LOG.gz" "${checks[@]}"
