#!/usr/bin/env bash
# The run step of action.yml (the composite GitHub Action at the repository root): runs
# `bm-conformance run` (or `merge` when INPUT_MERGE is set) from this checkout, appends report.md
# to $GITHUB_STEP_SUMMARY, and writes the outputs exit-code, report-dir and artifact-name to
# $GITHUB_OUTPUT. It always exits 0 so the upload step still runs; the action's last step fails
# the job with the recorded exit code (1: a failure, 2: the harness could not run).
#
# Inputs arrive as INPUT_* variables (action.yml maps them): TARGET, PROFILES, EXPECT (files,
# comma- or newline-separated), SHARD (I/N), ARGS (more `run` arguments, split on white space),
# OUT (report folder), MERGE (folders or globs of shard outputs, white-space separated).
# test/action.test.ts runs this script with a simulated GITHUB_* environment.
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="${INPUT_OUT:-bm-conformance-out}"
shard="${INPUT_SHARD:-}"
set -f
if [ -n "${INPUT_MERGE:-}" ]; then
  set +f
  dirs=()
  for pattern in ${INPUT_MERGE}; do
    for d in $pattern; do dirs+=("$d"); done
  done
  set -f
  cmd=(merge "${dirs[@]}" --out "$out")
  name="bm-conformance-merged"
else
  cmd=(run --out "$out")
  if [ -n "${INPUT_TARGET:-}" ]; then cmd+=(--target "$INPUT_TARGET"); fi
  if [ -n "${INPUT_PROFILES:-}" ]; then cmd+=(--profile "$INPUT_PROFILES"); fi
  for f in $(printf '%s' "${INPUT_EXPECT:-}" | tr ',\n' '  '); do cmd+=(--expect "$f"); done
  if [ -n "$shard" ]; then cmd+=(--shard "$shard"); fi
  name="bm-conformance${shard:+-shard-${shard/\//-of-}}"
fi
# shellcheck disable=SC2206 # white-space splitting is the documented form of `args`
extra=(${INPUT_ARGS:-})
set +f
cmd+=("${extra[@]}")

echo "bm-conformance ${cmd[*]}"
node "$here/bin/bm-conformance.mjs" "${cmd[@]}"
code=$?

if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  {
    if [ -f "$out/report.md" ]; then
      if [ -n "$shard" ]; then echo "_Shard ${shard}: the merged report is the whole run._"; echo; fi
      # A step summary holds at most 1 MiB.
      if [ "$(wc -c < "$out/report.md")" -gt 1000000 ]; then
        head -c 990000 "$out/report.md"
        printf '\n\n… report.md is longer than a step summary holds: the whole report is in the artifact %s.\n' "$name"
      else
        cat "$out/report.md"
      fi
    else
      echo "**bm-conformance could not run (exit $code)**: no report was written; see the job log."
    fi
  } >> "$GITHUB_STEP_SUMMARY"
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "exit-code=$code"
    echo "report-dir=$out"
    echo "artifact-name=$name"
  } >> "$GITHUB_OUTPUT"
fi
echo "bm-conformance exited $code"
exit 0
