#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/ for FUZZ_SECONDS each (default 30: the CI-sized run) and
# fails on the first crash, timeout or out-of-memory. Runs on the project's pinned nightly
# (`RUST_NIGHTLY` in scripts/env.sh, installed by scripts/setup.sh); installs cargo-fuzz if it is
# missing.
#
#   FUZZ_SECONDS=600 scripts/fuzz.sh      # a long run
#   FUZZ_TARGETS=parse scripts/fuzz.sh    # one target
#
# Inputs found are written to fuzz/target/corpus/<target>/ (not committed) on top of the seed corpus
# in fuzz/corpus/<target>/; a crash leaves its input in fuzz/artifacts/<target>/. Reproduce one with
# `source scripts/env.sh && cd fuzz && cargo +$RUST_NIGHTLY fuzz run -s none <target> artifacts/<target>/crash-…`.
#
# Built without a sanitizer (`-s none`, override with FUZZ_SANITIZER): the code under test is safe
# Rust, where AddressSanitizer finds nothing a panic does not, and measured here it made the parse
# target ~4x slower (18k vs 72k runs/s, 500 vs 33 MB) and its build about 1.5x longer.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
# The fuzz crate is its own workspace with its own target dir: fuzz/target, or FUZZ_TARGET_DIR (CI
# keeps it between runs: the first build takes ~15 minutes on 2 cores).
unset CARGO_TARGET_DIR
target_dir=()
if [ -n "${FUZZ_TARGET_DIR:-}" ]; then
  target_dir=(--target-dir "$FUZZ_TARGET_DIR")
fi

FUZZ_SECONDS=${FUZZ_SECONDS:-30}
ALL_TARGETS='parse room hub sfu_packet'
FUZZ_TARGETS=${FUZZ_TARGETS:-$ALL_TARGETS}
SANITIZER=${FUZZ_SANITIZER:-none}

if ! cargo "+$RUST_NIGHTLY" --version >/dev/null 2>&1; then
  echo "fuzz: $RUST_NIGHTLY is missing (scripts/setup.sh installs it)" >&2
  exit 1
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "==> installing cargo-fuzz"
  cargo install cargo-fuzz --locked --quiet
fi

cd "$ROOT/fuzz"
mkdir -p target
echo "==> fuzz: building targets (sanitizer: $SANITIZER)"
if ! cargo "+$RUST_NIGHTLY" fuzz build "${target_dir[@]}" -s "$SANITIZER" >target/build.log 2>&1; then
  tail -n 40 target/build.log
  exit 1
fi

# Every change to the classroom crate links four new ~1.1 GB binaries beside the old ones; in a
# kept target dir (CI) they filled 16 GB in one afternoon. Keep only the newest of each.
deps=${FUZZ_TARGET_DIR:-$ROOT/fuzz/target}/$(rustc -vV | sed -n 's/^host: //p')/release/deps
shopt -s nullglob
for name in $ALL_TARGETS; do
  built=("$deps/$name"-????????????????)
  if ((${#built[@]} > 1)); then
    ls -t "${built[@]}" | tail -n +2 | while read -r old; do rm -f "$old" "$old.d"; done
  fi
done
shopt -u nullglob

status=0
for target in $FUZZ_TARGETS; do
  corpus=$ROOT/fuzz/target/corpus/$target
  log=$ROOT/fuzz/target/fuzz-$target.log
  mkdir -p "$corpus"
  if cargo "+$RUST_NIGHTLY" fuzz run "${target_dir[@]}" -s "$SANITIZER" "$target" "$corpus" "$ROOT/fuzz/corpus/$target" -- \
    -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 >"$log" 2>&1; then
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
    echo "==> fuzz $target: ok, ${FUZZ_SECONDS}s, $execs runs ($rate/s), $cov"
  else
    echo "==> fuzz $target: FAILED (log: $log, input: fuzz/artifacts/$target/)" >&2
    grep -v '^#' "$log" | tail -n 60 >&2
    status=1
  fi
done
exit $status
