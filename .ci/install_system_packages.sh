#!/usr/bin/env bash
# Installs the Debian packages that fgm's integration and browser tests need.
#
# Idempotent: does nothing (not even `apt-get update`) when every package is already installed.
# Starts nothing: while it installs, /usr/sbin/policy-rc.d answers 101 ("action forbidden") so
# that the postinst scripts of docker.io, containerd and friends do not try to start services
# through invoke-rc.d (this machine has no systemd; the tests start their own private daemons).
# A policy-rc.d that was already there is left exactly as it was.
#
# Usage: bash .ci/install_system_packages.sh   (as root)
set -euo pipefail

PACKAGES=(
  docker.io      # dockerd + docker CLI (tests start a private dockerd, never the system one)
  containerd     # containerd + ctr
  runc           # OCI runtime used by all of the above
  podman         # podman (cgroupfs manager, private --root/--runroot)
  busybox-static # /bin/busybox: the rootfs of every test container
  chromium       # headless browser for the viewer's browser tests
  fonts-liberation # a real font for chromium screenshots (a Recommends, which we skip)
  iproute2       # ip, ss
  procps         # ps, pgrep, top
  faketime       # libfaketime: the collector under a wall clock stepped back (REQ-COL-034)
  systemd        # systemd-analyze verify/security of deploy/fgm-collect.service (REQ-DEP-031)
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  if [[ "$status" != "installed" ]]; then
    missing+=("$pkg")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install_system_packages: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "install_system_packages: must run as root to install: ${missing[*]}" >&2
  exit 1
fi

echo "install_system_packages: installing ${missing[*]}"

POLICY=/usr/sbin/policy-rc.d
created_policy=0
log=$(mktemp)
if [[ ! -e "$POLICY" ]]; then
  printf '#!/bin/sh\n# Temporary, written by fgm .ci/install_system_packages.sh\nexit 101\n' >"$POLICY"
  chmod 755 "$POLICY"
  created_policy=1
fi
cleanup() {
  if [[ $created_policy -eq 1 ]]; then rm -f "$POLICY"; fi
  rm -f "$log"
}
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# --no-install-recommends: docker.io would otherwise pull needrestart (which then hooks every later
# apt run) and git; podman's recommends (buildah, slirp4netns, uidmap…) serve rootless use only.
apt-get install -y -qq --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
  "${missing[@]}" >"$log" 2>&1 || {
  echo "install_system_packages: apt-get install failed; last lines of its output:" >&2
  tail -n 40 "$log" >&2
  exit 1
}
echo "install_system_packages: done"
