# Sourced by the shell test scripts (tests/deploy/run.sh, tests/package/run.sh): a
# tally of checks, and the checks more than one of them makes. The caller sets `work`
# (its temporary folder) before calling verify_unit, and ends with `finish_checks NAME`.
failures=0
pass() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }

# verify_unit UNIT_FILE BINARY NAME: systemd-analyze verify on a copy of UNIT_FILE named
# NAME (an instance name such as harmonic-server@n1.service for a template) whose
# ExecStart runs BINARY (verify checks that it is executable). verify exits 0 on unknown
# keys and bad values, only printing them: any output fails.
verify_unit() {
  local unit=$1 binary=$2 copy
  if ! command -v systemd-analyze >/dev/null 2>&1; then
    fail "systemd-analyze is not installed (Debian's systemd, scripts/install-deps.sh)"
    return
  fi
  mkdir -p "$work/verify"
  copy=$work/verify/$3
  sed -E "s|^ExecStart=/usr/bin/harmonic-server( \|$)|ExecStart=$binary\1|" "$unit" > "$copy"
  systemd-analyze verify "$copy" > "$work/verify.log" 2>&1
  local status=$?
  if [ "$status" -eq 0 ] && [ ! -s "$work/verify.log" ]; then
    pass "systemd-analyze verify $(basename "$copy"): no complaint"
  else
    cat "$work/verify.log"; fail "systemd-analyze verify $(basename "$copy") (exit $status)"
  fi
}

finish_checks() {
  echo "$1: $failures failure(s)"
  [ "$failures" -eq 0 ]
}
