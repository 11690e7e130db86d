#!/usr/bin/env bash
# Fails when the hydrate WASM grows past its ceiling (issue 11, "page weight"), so a change that adds
# a heavy dependency or undoes a size fix is noticed in the build that makes it, not months later.
# The ceilings sit just above the size reached on 2026-12-06 (docs/BENCHMARKS.md, "Size of the hydrate
# WASM"); lower them when the WASM shrinks, raise them only on purpose and say why there.
# The first ceiling is the module every page loads; the call's code and the administrator's pages are
# modules of their own (`cargo leptos --split`, `#[lazy]`), held to a second ceiling all together.
#
# Usage: scripts/check-wasm-size.sh [site-root]   (after `build_release`, which writes the .br file)
set -euo pipefail
source "$(dirname "$0")/env.sh"
site=${1:-$SITE_ROOT}
# Release builds name it by content (cargo-leptos hash-files): classroom.<hash>.wasm. The site is
# emptied before each build, so there is one.
wasm=$(compgen -G "$site/pkg/classroom.*wasm" | grep -Ev '\.(br|gz)$' | head -n 1 || true)
wasm=${wasm:-$site/pkg/classroom.wasm}
# gzip -9 is what the goal is stated in; brotli is what browsers are served (cargo-leptos --precompress).
max_gzip=${WASM_MAX_GZIP:-381000}
max_brotli=${WASM_MAX_BROTLI:-289000}
max_lazy_gzip=${WASM_MAX_LAZY_GZIP:-339000}

if [[ ! -f $wasm || ! -f $wasm.br ]]; then
  echo "check-wasm-size: $wasm(.br) missing; run a release build with --precompress first" >&2
  exit 2
fi
raw=$(stat -c %s "$wasm")
gzip=$(gzip -9c "$wasm" | wc -c)
brotli=$(stat -c %s "$wasm.br")
echo "hydrate WASM: $raw B raw, $gzip B gzip -9 (ceiling $max_gzip), $brotli B brotli (ceiling $max_brotli)"
# The lazily loaded modules: split_<fn>.<hash>.wasm and the chunk_<n>.<hash>.wasm they share.
lazy=0
count=0
for module in "$site"/pkg/split_*.wasm "$site"/pkg/chunk_*.wasm; do
  [[ -f $module ]] || continue
  lazy=$((lazy + $(gzip -9c "$module" | wc -c)))
  count=$((count + 1))
done
echo "lazy WASM modules: $count, $lazy B gzip -9 together (ceiling $max_lazy_gzip)"
if ((count == 0)); then
  echo "check-wasm-size: no lazily loaded module; was the build made without --split?" >&2
  exit 1
fi
if ((gzip > max_gzip || brotli > max_brotli || lazy > max_lazy_gzip)); then
  echo "check-wasm-size: the hydrate WASM grew past its ceiling; see docs/BENCHMARKS.md" >&2
  exit 1
fi
