#!/usr/bin/env bash
# Installs what running the linux-arm64 build under qemu user emulation needs on a Debian/Ubuntu
# x86-64 host: qemu-user-static, the arm64 C and C++ runtimes, and the arm64 OpenSSL.
# Roslyn hashes assembly keys through OpenSSL and Debian has no cross package for it, so the
# arm64 libssl is unpacked from its .deb into qemu's sysroot. That .deb is fetched by an apt of
# its own (its own sources, lists and cache in a temporary folder), so the host's dpkg
# architectures and package lists stay as they were: arm64 libraries installed on the host
# confuse qemu's loader, and Ubuntu serves arm64 from ports.ubuntu.com, which the host's
# sources do not name (adding the arm64 architecture there breaks 'apt-get update').
# Runs as root, or as a user with passwordless sudo (GitHub's runners): only installing the
# packages and copying into the sysroot use 'sudo -n'.
# Exits 0 when everything is in place, 2 when it is not and cannot be installed here.
set -uo pipefail
sysroot=/usr/aarch64-linux-gnu
ready() { command -v qemu-aarch64-static >/dev/null && [[ -e $sysroot/lib/libstdc++.so.6 && -e $sysroot/lib/libssl.so.3 ]]; }
ready && exit 0

as_root=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  else
    echo "setup-qemu-arm64: qemu-aarch64-static or the arm64 libraries are missing, and this user is neither root nor allowed passwordless sudo" >&2
    exit 2
  fi
fi
if ! command -v apt-get >/dev/null || [[ ! -r /etc/os-release ]]; then
  echo "setup-qemu-arm64: qemu-aarch64-static or the arm64 libraries are missing and this is not a Debian or Ubuntu host" >&2
  exit 2
fi

if ! command -v qemu-aarch64-static >/dev/null || [[ ! -e $sysroot/lib/libstdc++.so.6 ]]; then
  ("${as_root[@]}" apt-get update -qq && "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross) >/dev/null 2>&1
fi

# The arm64 OpenSSL: Debian's or Ubuntu's own, for the host's release.
fetch_arm64_libssl() {
  local work=$1 id codename uri keyring suite
  # shellcheck source=/dev/null
  id="$(. /etc/os-release && echo "${ID:-}")"
  # shellcheck source=/dev/null
  codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
  [[ -n $codename ]] || return 1
  case $id in
    debian)
      keyring=/usr/share/keyrings/debian-archive-keyring.gpg
      echo "deb [signed-by=$keyring] http://deb.debian.org/debian $codename main" >"$work/sources.list"
      echo "deb [signed-by=$keyring] http://deb.debian.org/debian $codename-updates main" >>"$work/sources.list"
      echo "deb [signed-by=$keyring] http://deb.debian.org/debian-security $codename-security main" >>"$work/sources.list" ;;
    ubuntu)
      keyring=/usr/share/keyrings/ubuntu-archive-keyring.gpg
      uri=http://ports.ubuntu.com/ubuntu-ports
      for suite in "$codename" "$codename-updates" "$codename-security"; do
        echo "deb [signed-by=$keyring] $uri $suite main"
      done >"$work/sources.list" ;;
    *) return 1 ;;
  esac
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/parts" "$work/debs" && : >"$work/status"
  # Readable by apt's download user when this runs as root.
  chmod -R a+rwX "$work"
  local apt=(apt-get -qq -o Dir::Etc::SourceList="$work/sources.list" -o Dir::Etc::SourceParts="$work/parts"
    -o Dir::State::Lists="$work/lists" -o Dir::State::Status="$work/status" -o Dir::Cache="$work/cache"
    -o APT::Architecture=arm64 -o APT::Architectures::=arm64 -o Debug::NoLocking=1)
  "${apt[@]}" update || return 1
  # libssl3t64 since Ubuntu 24.04 and Debian 13, libssl3 before.
  (cd "$work/debs" && { "${apt[@]}" download libssl3t64:arm64 || "${apt[@]}" download libssl3:arm64; }) || return 1
  dpkg -x "$work"/debs/libssl3*_arm64.deb "$work/unpacked" || return 1
  "${as_root[@]}" cp "$work/unpacked/usr/lib/aarch64-linux-gnu/libssl.so.3" \
    "$work/unpacked/usr/lib/aarch64-linux-gnu/libcrypto.so.3" "$sysroot/lib/"
}
if [[ ! -e $sysroot/lib/libssl.so.3 ]]; then
  work="$(mktemp -d)"
  fetch_arm64_libssl "$work" >/dev/null 2>&1
  rm -rf "$work"
fi
ready || { echo "setup-qemu-arm64: installation failed" >&2; exit 2; }
