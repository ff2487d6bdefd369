#!/usr/bin/env bash
# Scale benchmark (issue 14): time, peak RSS and JSON report size of `cxtriage check`
# on each row of generated input, next to a benign log of the same kind.
#   scripts/scale.sh [LINES] [BIN]     default 300000 lines, target/release/cxtriage
# Inputs go to ${SCALE_DIR:-/tmp/cxtriage-scale} (never into the repository).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-300000}
BIN=${2:-target/release/cxtriage}
DIR=${SCALE_DIR:-/tmp/cxtriage-scale}
mkdir -p "$DIR"
SCALE=target/release/examples/scale
SYNTH=target/release/examples/synth
[ -x "$SCALE" ] && [ -x "$SYNTH" ] || { echo "build first: cargo build --release --examples" >&2; exit 2; }
for row in refresh auth-flood extensions open-calls trunks; do
  [ -s "$DIR/$row-$N.log" ] || "$SCALE" "$row" --lines "$N" --out "$DIR/$row-$N.log"
done
[ -s "$DIR/long-line.log" ] || "$SCALE" long-line --lines $((20 << 20)) --out "$DIR/long-line.log"
[ -s "$DIR/synth-256m.log" ] || "$SYNTH" --size 256M --out "$DIR/synth-256m.log"
if [ ! -s "$DIR/synth-256m.zip" ] && command -v python3 >/dev/null; then
  python3 - "$DIR" <<'PY'
import sys, zipfile
d = sys.argv[1]
with zipfile.ZipFile(f"{d}/synth-256m.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
    z.write(f"{d}/synth-256m.log", "Logs/3CXPhoneSystem.log")
PY
fi
[ -s "$DIR/synth-256m.log.gz" ] || gzip -1 -c "$DIR/synth-256m.log" > "$DIR/synth-256m.log.gz"
printf '%-28s %10s %8s %10s %10s %8s\n' input MiB seconds peak_MiB json_KiB findings
for f in "refresh-$N.log" "auth-flood-$N.log" "extensions-$N.log" "open-calls-$N.log" "trunks-$N.log" long-line.log \
         synth-256m.log synth-256m.zip synth-256m.log.gz; do
  [ -s "$DIR/$f" ] || continue
  cat "$DIR/$f" > /dev/null   # warm the page cache
  /usr/bin/time -f '%e %M' -o "$DIR/time" "$BIN" check -q -f json -o "$DIR/report.json" "$DIR/$f" || true
  read -r secs kb < <(tail -1 "$DIR/time")
  findings=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$DIR/report.json" 2>/dev/null || echo '?')
  printf '%-28s %10.1f %8s %10.1f %10.1f %8s\n' "$f" "$(($(stat -L -c %s "$DIR/$f") / 1048576))" "$secs" \
    "$(echo "$kb / 1024" | bc -l)" "$(echo "$(stat -c %s "$DIR/report.json") / 1024" | bc -l)" "$findings"
done
