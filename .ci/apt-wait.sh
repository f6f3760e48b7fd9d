# apt-get that waits for another apt process (unattended upgrades, a parallel job, a person) instead of
# failing on its lock: dpkg's lock through apt's own timeout, the package lists' lock (held during
# `apt-get update`, which that timeout does not cover) by trying again. Sourced by ensure-chromium.sh.
APT_LOCK_WAIT_SECONDS="${APT_LOCK_WAIT_SECONDS:-600}"
if [ -z "${SUDO+set}" ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
fi

apt_get() {
  local deadline=$((SECONDS + APT_LOCK_WAIT_SECONDS)) errors status left told=""
  errors="$(mktemp)"
  while :; do
    left=$((deadline - SECONDS))
    if [ "$left" -lt 0 ]; then left=0; fi
    status=0
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o "DPkg::Lock::Timeout=$left" "$@" 2>"$errors" || status=$?
    if [ "$status" -eq 0 ] || ! grep -q 'Could not get lock' "$errors" || [ "$SECONDS" -ge "$deadline" ]; then
      cat "$errors" >&2
      rm -f "$errors"
      return "$status"
    fi
    if [ -z "$told" ]; then
      echo "Another apt process holds its lock; waiting for it (at most ${APT_LOCK_WAIT_SECONDS} s)…" >&2
      told=1
    fi
    sleep 1
  done
}
